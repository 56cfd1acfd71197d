import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Token, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { isAutoscaledGroup, type NodeGroupPlan } from "../../core/aws/node-groups";
import { Role, managedPolicyArn, serviceTrust } from "./iam";

/** EKS spells taint effects in upper snake case. */
const EFFECT = { NoSchedule: "NO_SCHEDULE" } as const;

/**
 * The role every node runs with: join the cluster and pull images, nothing else. The VPC CNI
 * and the EBS CSI driver get their own roles (IRSA), so their rights are not on every node.
 */
export function nodeRole(scope: Construct, id: string, clusterName: string, partition: string): Role {
  return new Role(scope, id, {
    namePrefix: `${clusterName}-node-`,
    description: `Nodes of EKS cluster ${clusterName}`,
    trust: serviceTrust("ec2.amazonaws.com"),
    managedPolicyArns: [
      managedPolicyArn(partition, "AmazonEKSWorkerNodePolicy"),
      managedPolicyArn(partition, "AmazonEC2ContainerRegistryPullOnly"),
    ],
  });
}

export interface ManagedNodeGroupProps {
  /** Name of the EKS cluster the nodes join. */
  readonly clusterName: string;
  /** Instance type, scaling, AMI, labels and taints of the group, planned from a pool. */
  readonly plan: NodeGroupPlan;
  /** The role the nodes run with (see nodeRole). */
  readonly role: Role;
  /** Private subnets only: nodes never get a public address. */
  readonly subnetIds: readonly string[];
  /**
   * What must exist before the nodes start (pod networking, or they never become Ready).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A managed node group on a launch template that requires IMDSv2 (with a hop limit of 1, so
 * pods cannot borrow the node's credentials) and boots from an encrypted gp3 volume.
 */
export class ManagedNodeGroup extends Construct {
  /** The node group: workloads that need its nodes depend on it. */
  readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { plan } = props;
    const name = `${props.clusterName}-${plan.name}`;
    const template = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${name}-`.slice(0, 120),
      description: `Nodes of ${name}: IMDSv2 only, encrypted gp3 root volume`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          // The root device of the EKS-optimized AL2023 AMIs.
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: plan.rootVolumeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
            iops: 3000,
            // gp3's 125 MiB/s baseline makes pulling the multi-GiB vLLM image slow.
            throughput: 250,
          },
        },
      ],
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({ resourceType, tags: { Name: name } })),
    });
    this.nodeGroup = new EksNodeGroup(this, "node-group", {
      clusterName: props.clusterName,
      nodeGroupName: plan.name,
      nodeRoleArn: props.role.arn,
      subnetIds: [...props.subnetIds],
      amiType: plan.amiType,
      instanceTypes: [plan.instanceType],
      capacityType: "ON_DEMAND",
      scalingConfig: { desiredSize: plan.desired, minSize: plan.min, maxSize: plan.max },
      updateConfig: { maxUnavailable: 1 },
      labels: plan.labels,
      taint: plan.taints.map((taint) => ({ key: taint.key, value: taint.value, effect: EFFECT[taint.effect] })),
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      dependsOn: [...props.role.grants, ...(props.dependsOn ?? [])],
      // The cluster autoscaler owns the desired size of a group it resizes: a later apply must not reset it.
      lifecycle: isAutoscaledGroup(plan) ? { ignoreChanges: ["scaling_config[0].desired_size"] } : undefined,
    });
  }
}
