import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Role, serviceAccountTrust, type ServiceAccountIdentity } from "./iam";

/** The controller's Kubernetes service account in kube-system; the role trusts it alone. */
export const LOAD_BALANCER_CONTROLLER_ACCOUNT = "aws-load-balancer-controller";

export interface LoadBalancerControllerRoleProps {
  /** Name of the EKS cluster whose Services the controller serves. */
  readonly clusterName: string;
  /** AWS partition (aws, aws-us-gov, …), for the ARNs in the controller's policy. */
  readonly partition: string;
  /** The cluster's OIDC provider, which the role trusts (IRSA). */
  readonly identity: ServiceAccountIdentity;
}

/**
 * The AWS Load Balancer Controller's IAM role (IRSA): what NLBs for Services need and no more
 * (see loadBalancerControllerPolicy). Lives in the cluster stack with the other IAM; the chart
 * in the cluster-services stack names it in its service account.
 */
export class LoadBalancerControllerRole extends Construct {
  /** ARN of the role, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  readonly arn: string;
  /** The role's policy attachment: the controller is usable once it exists. */
  readonly grants: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id);
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: loadBalancerControllerPolicy(props.partition),
    });
    const policy = new IamPolicy(this, "policy", {
      namePrefix: `${props.clusterName}-lb-controller-`,
      description: `AWS Load Balancer Controller of ${props.clusterName}: NLBs for Services only`,
      policy: document.json,
    });
    const role = new Role(this, "role", {
      namePrefix: `${props.clusterName}-lb-controller-`,
      description: `AWS Load Balancer Controller of ${props.clusterName}`,
      trust: serviceAccountTrust(props.identity, "kube-system", LOAD_BALANCER_CONTROLLER_ACCOUNT),
      managedPolicyArns: [policy.arn],
    });
    this.arn = role.arn;
    this.grants = role.grants;
  }
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * The controller's IAM policy, cut down from the upstream `docs/install/iam_policy.json`
 * (kubernetes-sigs/aws-load-balancer-controller tag v3.5.0 = 11eb202c, 2026-08-03; unchanged
 * since v2.13.4) to what NLBs for Services use: no ALB rules, WAF, Shield or Cognito. Each
 * statement carries the same `elbv2.k8s.aws/cluster` tag conditions as its upstream statement:
 * load balancers and target groups are created only with the tag, and modified, re-tagged or
 * deleted only when they carry it. Upstream itself leaves unconditioned, and so does this
 * policy: security-group ingress rules (the node and pod security groups carry no controller
 * tag), CreateSecurityGroup (the tag is added by the create-time statement), listener create,
 * delete and modify with their certificates and tags (listeners carry no tag), and registering
 * targets.
 */
export function loadBalancerControllerPolicy(partition: string): DataAwsIamPolicyDocumentStatement[] {
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:*:*:${resource}`;
  const tagged = { test: "Null", variable: `aws:ResourceTag/${CLUSTER_TAG}`, values: ["false"] };
  const taggedOnCreate = { test: "Null", variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ["false"] };
  const notRetagging = { test: "Null", variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ["true"] };
  return [
    {
      sid: "Read",
      effect: "Allow",
      actions: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:DescribeRouteTables",
        "ec2:GetSecurityGroupsForVpc",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
      ],
      resources: ["*"],
    },
    {
      sid: "ElbServiceLinkedRole",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["elasticloadbalancing.amazonaws.com"] }],
    },
    {
      sid: "CreateTaggedSecurityGroups",
      effect: "Allow",
      actions: ["ec2:CreateSecurityGroup"],
      resources: ["*"],
    },
    {
      sid: "TagSecurityGroupsOnCreate",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: [`arn:${partition}:ec2:*:*:security-group/*`],
      condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSecurityGroup"] }, taggedOnCreate],
    },
    {
      sid: "ManageOwnSecurityGroups",
      effect: "Allow",
      actions: ["ec2:CreateTags", "ec2:DeleteTags"],
      resources: [`arn:${partition}:ec2:*:*:security-group/*`],
      condition: [notRetagging, tagged],
    },
    {
      // Also on the node security group, to admit the NLB to the pods; hence no tag condition.
      sid: "SecurityGroupRules",
      effect: "Allow",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      resources: ["*"],
    },
    {
      sid: "DeleteOwnSecurityGroups",
      effect: "Allow",
      actions: ["ec2:DeleteSecurityGroup"],
      resources: ["*"],
      condition: [tagged],
    },
    {
      sid: "CreateTaggedLoadBalancers",
      effect: "Allow",
      actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      resources: ["*"],
      condition: [taggedOnCreate],
    },
    {
      sid: "Listeners",
      effect: "Allow",
      actions: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
      ],
      resources: ["*"],
    },
    {
      sid: "TagOnCreate",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags"],
      resources: [elb("loadbalancer/net/*/*"), elb("targetgroup/*/*")],
      condition: [
        { test: "StringEquals", variable: "elasticloadbalancing:CreateAction", values: ["CreateTargetGroup", "CreateLoadBalancer"] },
        taggedOnCreate,
      ],
    },
    {
      // Listeners carry no cluster tag to condition on; upstream grants their tags the same way.
      sid: "ListenerTags",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [elb("listener/net/*/*/*")],
    },
    {
      sid: "ManageOwnTags",
      effect: "Allow",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [elb("loadbalancer/net/*/*"), elb("targetgroup/*/*")],
      condition: [notRetagging, tagged],
    },
    {
      sid: "ManageOwnLoadBalancers",
      effect: "Allow",
      actions: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        // Upstream statement 12 conditions it on the tag too (the listener's load balancer carries it).
        "elasticloadbalancing:ModifyListenerAttributes",
      ],
      resources: ["*"],
      condition: [tagged],
    },
    {
      sid: "RegisterPods",
      effect: "Allow",
      actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      resources: [elb("targetgroup/*/*")],
    },
  ];
}
