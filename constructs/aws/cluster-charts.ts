import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { LOAD_BALANCER_CONTROLLER_CHART, NVIDIA_DEVICE_PLUGIN_CHART } from "../../core/pins";
import { Role, serviceAccountTrust, type ServiceAccountIdentity } from "./iam";

const LOAD_BALANCER_CONTROLLER_ACCOUNT = "aws-load-balancer-controller";

export interface NvidiaDevicePluginProps {
  /**
   * What must exist before the chart installs (the GPU node groups it runs on).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Advertises each node's GPUs as `nvidia.com/gpu`. The chart's default node affinity picks
 * nodes labelled nvidia.com/gpu.present=true, which the GPU node groups set, and it tolerates
 * their taint; the NVIDIA AMI already carries the driver and container toolkit.
 */
export class NvidiaDevicePlugin extends Construct {
  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps = {}) {
    super(scope, id);
    new Release(this, "release", {
      name: "nvidia-device-plugin",
      namespace: "kube-system",
      ...NVIDIA_DEVICE_PLUGIN_CHART,
      wait: true,
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }
}

export interface LoadBalancerControllerProps {
  /** Name of the EKS cluster whose Services the controller serves. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** VPC the NLBs go into. */
  readonly vpcId: string;
  /** AWS partition (aws, aws-us-gov, …), for the ARNs in the controller's policy. */
  readonly partition: string;
  /** The cluster's OIDC provider, which the controller's role trusts (IRSA). */
  readonly identity: ServiceAccountIdentity;
  /**
   * What must exist before the chart installs (nodes to run on, DNS to resolve AWS endpoints).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The AWS Load Balancer Controller, which turns each model's Service into an NLB. Its role can
 * do what NLBs for Services need and no more (see loadBalancerControllerPolicy).
 */
export class LoadBalancerController extends Construct {
  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
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
    const values = {
      clusterName: props.clusterName,
      // Given explicitly: with IMDSv2 at hop limit 1 the pods cannot look them up.
      region: props.region,
      vpcId: props.vpcId,
      replicaCount: 2,
      serviceAccount: {
        create: true,
        name: LOAD_BALANCER_CONTROLLER_ACCOUNT,
        annotations: { "eks.amazonaws.com/role-arn": role.arn },
      },
      // Services opt in by annotation; a controller that is down must not block creating Services.
      enableServiceMutatorWebhook: false,
      // ALB-only features the policy does not grant.
      enableShield: false,
      enableWaf: false,
      enableWafv2: false,
    };
    new Release(this, "release", {
      name: "aws-load-balancer-controller",
      namespace: "kube-system",
      ...LOAD_BALANCER_CONTROLLER_CHART,
      values: [JSON.stringify(values)],
      wait: true,
      dependsOn: [...role.grants, ...(props.dependsOn ?? [])],
    });
  }
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * The controller's IAM policy, cut down from the upstream docs/install/iam_policy.json to what
 * NLBs for Services use: no ALB rules, WAF, Shield or Cognito. It reads freely, but creates
 * load balancers, target groups and security groups only with its cluster tag, and changes or
 * deletes only what carries that tag.
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
        "elasticloadbalancing:ModifyListenerAttributes",
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
