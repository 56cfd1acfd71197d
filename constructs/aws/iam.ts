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
  namePrefix: string;
  description: string;
  /** Who may assume the role. */
  trust: DataAwsIamPolicyDocumentStatement;
  /** AWS managed policies the role carries. */
  managedPolicyArns?: string[];
  /** An inline policy for what no managed policy covers narrowly enough. */
  inlinePolicy?: DataAwsIamPolicyDocumentStatement[];
}

/** An IAM role with exactly the policies it is given and nothing inherited. */
export class Role extends Construct {
  readonly role: IamRole;
  /** Attachments and inline policy: depend on these so the role is usable, not just created. */
  readonly grants: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", { statement: [props.trust] });
    this.role = new IamRole(this, "role", {
      namePrefix: props.namePrefix.slice(0, 38),
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    (props.managedPolicyArns ?? []).forEach((policyArn, index) => {
      this.grants.push(new IamRolePolicyAttachment(this, `managed-${index}`, { role: this.role.name, policyArn }));
    });
    if (props.inlinePolicy) {
      const document = new DataAwsIamPolicyDocument(this, "inline-document", { statement: props.inlinePolicy });
      this.grants.push(new IamRolePolicy(this, "inline", { role: this.role.id, policy: document.json }));
    }
  }

  get arn(): string {
    return this.role.arn;
  }
}

/** Trust for an AWS service principal, e.g. eks.amazonaws.com. */
export function serviceTrust(service: string): DataAwsIamPolicyDocumentStatement {
  return { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] };
}

export interface ServiceAccountIdentity {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: string;
  /** The provider's issuer without `https://`, as IAM condition keys spell it. */
  oidcIssuer: string;
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
