import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../../core/pins";
import { Role, serviceAccountTrust, type ServiceAccountIdentity } from "./iam";

/** The autoscaler's Kubernetes service account in kube-system; its role trusts it alone. */
export const CLUSTER_AUTOSCALER_ACCOUNT = "cluster-autoscaler";

export interface ClusterAutoscalerRoleProps {
  /** Name of the EKS cluster whose node groups the autoscaler resizes. */
  readonly clusterName: string;
  /** The cluster's OIDC provider, which the role trusts (IRSA). */
  readonly identity: ServiceAccountIdentity;
}

/**
 * The cluster autoscaler's IAM role (IRSA), in the cluster stack with the other IAM: it reads
 * the Auto Scaling groups and resizes only this cluster's (see clusterAutoscalerPolicy).
 */
export class ClusterAutoscalerRole extends Construct {
  /** ARN of the role, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerRoleProps) {
    super(scope, id);
    const document = new DataAwsIamPolicyDocument(this, "policy-document", { statement: clusterAutoscalerPolicy(props.clusterName) });
    const policy = new IamPolicy(this, "policy", {
      namePrefix: `${props.clusterName}-autoscaler-`,
      description: `Cluster autoscaler of ${props.clusterName}: resizes its node groups only`,
      policy: document.json,
    });
    this.arn = new Role(this, "role", {
      namePrefix: `${props.clusterName}-autoscaler-`,
      description: `Cluster autoscaler of ${props.clusterName}`,
      trust: serviceAccountTrust(props.identity, "kube-system", CLUSTER_AUTOSCALER_ACCOUNT),
      managedPolicyArns: [policy.arn],
    }).arn;
  }
}

/**
 * The "Full Cluster Autoscaler Features Policy" of cluster-autoscaler/cloudprovider/aws/README.md
 * (kubernetes/autoscaler @ cluster-autoscaler-chart-9.59.0, read 2026-11-26), with its second
 * block restricted as that README recommends, by a tag condition: SetDesiredCapacity and
 * TerminateInstanceInAutoScalingGroup only on Auto Scaling groups tagged
 * `k8s.io/cluster-autoscaler/<cluster>`, the tag EKS puts on a managed node group's group for
 * auto-discovery (EKS user guide, managed-node-groups: "automatically tagged for auto-discovery").
 * The describe calls take no resource-level restriction.
 */
export function clusterAutoscalerPolicy(clusterName: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "Read",
      effect: "Allow",
      actions: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      resources: ["*"],
    },
    {
      sid: "ResizeThisClustersGroups",
      effect: "Allow",
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      resources: ["*"],
      condition: [{ test: "Null", variable: `aws:ResourceTag/${autoDiscoveryTag(clusterName)}`, values: ["false"] }],
    },
  ];
}

/** The Auto Scaling group tag that marks a group as this cluster's for the autoscaler. */
export function autoDiscoveryTag(clusterName: string): string {
  return `k8s.io/cluster-autoscaler/${clusterName}`;
}

export interface ClusterAutoscalerProps {
  /** Name of the EKS cluster: its node groups are found by their auto-discovery tags. */
  readonly clusterName: string;
  /** The cluster's Kubernetes minor version (`target.eksVersion`): the autoscaler's image follows it. */
  readonly kubernetesVersion: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** ARN of the autoscaler's IAM role (ClusterAutoscalerRole, in the cluster stack). */
  readonly roleArn: string;
}

/**
 * The pinned cluster autoscaler chart in kube-system: it adds a node to a GPU node group when a
 * replica KEDA added waits for GPUs, up to the group's max size, and removes idle nodes. Its pod
 * meets the restricted standard. Values keys checked against the chart in core/pins.ts
 * (test/aws/chart-values.test.ts lists them).
 */
export class ClusterAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const tag = CLUSTER_AUTOSCALER_IMAGE_TAGS[props.kubernetesVersion];
    const values = {
      cloudProvider: "aws",
      awsRegion: props.region,
      autoDiscovery: { clusterName: props.clusterName },
      ...(tag ? { image: { tag } } : {}),
      rbac: {
        serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": props.roleArn } },
      },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    };
    new Release(this, "release", {
      name: "cluster-autoscaler",
      namespace: "kube-system",
      ...CLUSTER_AUTOSCALER_CHART,
      values: [JSON.stringify(values)],
      wait: true,
    });
  }
}
