import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformLocal, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { NetworkAddons, WorkloadAddons } from "../constructs/aws/addons";
import { TlsCertificate } from "../constructs/aws/certificate";
import { LoadBalancerController, NvidiaDevicePlugin } from "../constructs/aws/cluster-charts";
import { EksControlPlane } from "../constructs/aws/control-plane";
import { connectToEks, type EksAccess } from "../constructs/aws/eks-providers";
import { AwsNetwork } from "../constructs/aws/network";
import { ManagedNodeGroup, nodeRole } from "../constructs/aws/node-group";
import { EncryptedDefaultStorageClass } from "../constructs/aws/storage-class";
import { clusterStackName, eksClusterName } from "../core/aws/names";
import { networkPlan } from "../core/aws/network-plan";
import { gpuNodeGroupPlans, systemNodeGroupPlan } from "../core/aws/node-groups";
import type { AwsEnvironment } from "../core/load-environment";
import { configureStateBackend } from "./state-backend";

/** What the serving stack takes from the cluster stack; its tokens become cross-stack references. */
export interface AwsClusterReference extends EksAccess {
  /** ARN of the issued TLS certificate for the models' load balancers. */
  certificateArn: string;
  /** Tags for the AWS resources the serving stack creates (DNS records). */
  defaultTags: Record<string, string>;
}

/** Tags on every AWS resource of an environment, for cost reports and cleanup. */
export function awsDefaultTags(environment: string): Record<string, string> {
  return { "aicockpit:environment": environment, "aicockpit:managed-by": "cdktf" };
}

/**
 * `aicockpit-<env>-cluster`: the VPC, the EKS cluster with a system node group and one GPU
 * node group per pool, the EKS add-ons, the cluster-wide charts (NVIDIA device plugin, AWS
 * Load Balancer Controller), the default encrypted StorageClass and the TLS certificate.
 * Deployed before the serving stack, which reaches the cluster through `reference`.
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
      subnetIds: network.controlPlaneSubnets.map((subnet) => subnet.id),
      publicAccessCidrs: target.apiAllowedCidrs,
    });
    const cluster = controlPlane.cluster;
    const addonProps = { clusterName: cluster.name, kubernetesVersion: cluster.version, partition, identity: controlPlane.identity };
    const networking = new NetworkAddons(this, "network-addons", addonProps);

    const role = nodeRole(this, "node-role", clusterName, partition);
    const privateSubnetIds = network.privateSubnets.map((subnet) => subnet.id);
    const nodeGroups = [systemNodeGroupPlan(target), ...gpuNodeGroupPlans(config.gpuPools)].map(
      (plan) =>
        new ManagedNodeGroup(this, `${plan.name}-nodes`, {
          clusterName: cluster.name,
          plan,
          role,
          subnetIds: privateSubnetIds,
          dependsOn: networking.addons,
        }).nodeGroup,
    );
    const workloads = new WorkloadAddons(this, "workload-addons", { ...addonProps, dependsOn: nodeGroups });

    const access: EksAccess = {
      clusterName: cluster.name,
      region: target.region,
      endpoint: cluster.endpoint,
      // A named local: the serving stack's cross-stack output then reads as what it is, the (public) CA.
      certificateAuthority: new TerraformLocal(this, "cluster_ca_certificate", cluster.certificateAuthority.get(0).data).asString,
    };
    connectToEks(this, access);
    new EncryptedDefaultStorageClass(this, "storage-class", { dependsOn: [workloads.ebsCsiDriver] });
    new NvidiaDevicePlugin(this, "nvidia-device-plugin", { dependsOn: nodeGroups });
    new LoadBalancerController(this, "load-balancer-controller", {
      clusterName: cluster.name,
      region: target.region,
      vpcId: network.vpc.id,
      partition,
      identity: controlPlane.identity,
      // CoreDNS: the controller resolves the regional STS and ELB endpoints.
      dependsOn: [...nodeGroups, ...workloads.addons],
    });
    const certificate = new TlsCertificate(this, "tls-certificate", target.loadBalancer);
    this.reference = { ...access, certificateArn: certificate.arn, defaultTags };
  }
}
