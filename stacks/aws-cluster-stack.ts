import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformLocal, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { NetworkAddons, WorkloadAddons } from "../constructs/aws/addons";
import { TlsCertificate } from "../constructs/aws/certificate";
import { EksControlPlane } from "../constructs/aws/control-plane";
import type { EksAccess } from "../constructs/aws/eks-providers";
import { LoadBalancerControllerRole } from "../constructs/aws/load-balancer-controller-role";
import { ClusterAutoscalerRole } from "../constructs/aws/cluster-autoscaler";
import { AwsNetwork } from "../constructs/aws/network";
import { ManagedNodeGroup, nodeRole } from "../constructs/aws/node-group";
import { SharedModelCacheFileSystem } from "../constructs/aws/shared-model-cache";
import { buildsSharedModelCache, clusterStackName, eksClusterName } from "../core/aws/names";
import { networkPlan } from "../core/aws/network-plan";
import { gpuNodeGroupPlans, isAutoscaledGroup, systemNodeGroupPlan } from "../core/aws/node-groups";
import type { AwsEnvironment } from "../core/load-environment";
import { configureStateBackend } from "./state-backend";

/**
 * What the cluster-services and serving stacks take from the cluster stack; its tokens become
 * cross-stack references (remote state), so those stacks configure their providers from values
 * that exist before they plan.
 */
export interface AwsClusterReference extends EksAccess {
  /** ARN of the issued TLS certificate for the models' load balancers. */
  readonly certificateArn: string;
  /** Tags for the AWS resources the other stacks create (DNS records). */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** The VPC the NLBs go into. */
  readonly vpcId: string;
  /** The AWS Load Balancer Controller's IAM role, for its service account. */
  readonly loadBalancerControllerRoleArn: string;
  /**
   * The cluster autoscaler's IAM role, for its service account.
   * @default - none: no node group the autoscaler would resize
   */
  readonly clusterAutoscalerRoleArn?: string;
  /** Subnets of the environment's NLB scheme: the models' Services name them. */
  readonly loadBalancerSubnetIds: readonly string[];
  /**
   * The shared model cache's EFS file system, for its StorageClass.
   * @default - none: the caches are EBS volumes
   */
  readonly sharedModelCacheFileSystemId?: string;
}

/** Tags on every AWS resource of an environment, for cost reports and cleanup. */
export function awsDefaultTags(environment: string): Record<string, string> {
  return { "aicockpit:environment": environment, "aicockpit:managed-by": "cdktf" };
}

/**
 * `aicockpit-<env>-cluster`: the VPC, the EKS cluster with a system node group and one GPU
 * node group per pool (each in one AZ), the EKS add-ons, the IAM roles, and the TLS
 * certificate. AWS resources only: no Kubernetes or Helm provider is configured from the
 * cluster it creates (the kubernetes provider's docs warn against it); the cluster-services
 * and serving stacks reach the cluster through `reference`.
 */
export class AwsClusterStack extends TerraformStack {
  readonly reference: AwsClusterReference;

  constructor(scope: Construct, environment: AwsEnvironment) {
    super(scope, clusterStackName(environment.name));
    const { config } = environment;
    const { target } = config;
    const clusterName = eksClusterName(environment.name);
    configureStateBackend(this, config.state);

    const defaultTags = awsDefaultTags(environment.name);
    new AwsProvider(this, "aws", { region: target.region, defaultTags: [{ tags: defaultTags }] });
    const partition = new DataAwsPartition(this, "partition").partition;

    const network = new AwsNetwork(this, "network", {
      name: clusterName,
      clusterName,
      vpcCidr: target.vpcCidr,
      plan: networkPlan(target),
    });
    const controlPlane = new EksControlPlane(this, "control-plane", {
      clusterName,
      version: target.eksVersion,
      partition,
      region: target.region,
      subnetIds: network.controlPlaneSubnets.map((subnet) => subnet.id),
      publicAccessCidrs: target.apiAllowedCidrs,
    });
    const cluster = controlPlane.cluster;
    const addonProps = { clusterName: cluster.name, kubernetesVersion: cluster.version, partition, identity: controlPlane.identity };
    const networking = new NetworkAddons(this, "network-addons", addonProps);

    const role = nodeRole(this, "node-role", clusterName, partition);
    const nodeGroups = [systemNodeGroupPlan(target), ...gpuNodeGroupPlans(config.gpuPools)].map(
      (plan) =>
        new ManagedNodeGroup(this, `${plan.name}-nodes`, {
          clusterName: cluster.name,
          plan,
          role,
          // A GPU group stays in its one AZ, where its pool's EBS caches are; with the shared (EFS)
          // cache and no AZ named, it spans them all.
          subnetIds: (plan.zoneIndex === undefined ? network.privateSubnets : [network.privateSubnets[plan.zoneIndex]]).map(
            (subnet) => subnet.id,
          ),
          dependsOn: networking.addons,
        }).nodeGroup,
    );
    const sharedCache = buildsSharedModelCache(config);
    new WorkloadAddons(this, "workload-addons", { ...addonProps, efsCsiDriver: sharedCache, dependsOn: nodeGroups });
    const sharedCacheFileSystem = sharedCache
      ? new SharedModelCacheFileSystem(this, "shared-model-cache", {
          name: clusterName,
          vpcId: network.vpc.id,
          subnets: network.privateSubnets,
        })
      : undefined;
    const loadBalancerController = new LoadBalancerControllerRole(this, "load-balancer-controller-role", {
      clusterName,
      partition,
      identity: controlPlane.identity,
    });
    const clusterAutoscaler = gpuNodeGroupPlans(config.gpuPools).some(isAutoscaledGroup)
      ? new ClusterAutoscalerRole(this, "cluster-autoscaler-role", { clusterName, identity: controlPlane.identity })
      : undefined;
    const certificate = new TlsCertificate(this, "tls-certificate", target.loadBalancer);
    const loadBalancerSubnets = target.loadBalancer.scheme === "internal" ? network.internalLoadBalancerSubnets : network.publicSubnets;

    this.reference = {
      clusterName: cluster.name,
      region: target.region,
      endpoint: cluster.endpoint,
      // A named local: the other stacks' cross-stack output then reads as what it is, the (public) CA.
      certificateAuthority: new TerraformLocal(this, "cluster_ca_certificate", cluster.certificateAuthority.get(0).data).asString,
      certificateArn: certificate.arn,
      defaultTags,
      vpcId: network.vpc.id,
      loadBalancerControllerRoleArn: loadBalancerController.arn,
      clusterAutoscalerRoleArn: clusterAutoscaler?.arn,
      loadBalancerSubnetIds: loadBalancerSubnets.map((subnet) => subnet.id),
      sharedModelCacheFileSystemId: sharedCacheFileSystem?.fileSystemId,
    };
  }
}
