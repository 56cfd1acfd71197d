import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** ARN of an AWS managed policy, in the partition the stack deploys to (aws, aws-us-gov, …). */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

export interface RoleProps {
  /** Prefix of the role's name; IAM appends a unique suffix, so two environments never collide. */
  readonly namePrefix: string;
  /** What the role is for, shown in the IAM console. */
  readonly description: string;
  /** Who may assume the role. */
  readonly trust: DataAwsIamPolicyDocumentStatement;
  /**
   * AWS managed policies the role carries.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * An inline policy for what no managed policy covers narrowly enough.
   * @default - none
   */
  readonly inlinePolicy?: readonly DataAwsIamPolicyDocumentStatement[];
}

/** An IAM role with exactly the policies it is given and nothing inherited. */
export class Role extends Construct {
  /** ARN of the role. */
  readonly arn: string;
  /** Attachments and inline policy: depend on these so the role is usable, not just created. */
  readonly grants: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement: [props.trust] });
    const role = new IamRole(this, "role", {
      namePrefix: props.namePrefix.slice(0, 38),
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    this.arn = role.arn;
    const grants: ITerraformDependable[] = (props.managedPolicyArns ?? []).map(
      (policyArn, index) => new IamRolePolicyAttachment(this, `managed-${index}`, { role: role.name, policyArn }),
    );
    if (props.inlinePolicy) {
      const document = new DataAwsIamPolicyDocument(this, "inline-document", { statement: [...props.inlinePolicy] });
      grants.push(new IamRolePolicy(this, "inline", { role: role.id, policy: document.json }));
    }
    this.grants = grants;
  }
}

/** Trust for an AWS service principal, e.g. eks.amazonaws.com. */
export function serviceTrust(service: string): DataAwsIamPolicyDocumentStatement {
  return { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] };
}

export interface ServiceAccountIdentity {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** The provider's issuer without `https://`, as IAM condition keys spell it. */
  readonly oidcIssuer: string;
}

/** IRSA: only the one Kubernetes service account may assume the role through the cluster's OIDC provider. */
export function serviceAccountTrust(
  identity: ServiceAccountIdentity,
  namespace: string,
  serviceAccount: string,
): DataAwsIamPolicyDocumentStatement {
  return {
    effect: "Allow",
    actions: ["sts:AssumeRoleWithWebIdentity"],
    principals: [{ type: "Federated", identifiers: [identity.oidcProviderArn] }],
    condition: [
      { test: "StringEquals", variable: `${identity.oidcIssuer}:sub`, values: [`system:serviceaccount:${namespace}:${serviceAccount}`] },
      { test: "StringEquals", variable: `${identity.oidcIssuer}:aud`, values: ["sts.amazonaws.com"] },
    ],
  };
}
