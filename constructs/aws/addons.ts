import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Role, managedPolicyArn, serviceAccountTrust, type ServiceAccountIdentity } from "./iam";

export interface EksAddonsProps {
  /** Name of the EKS cluster the add-ons install into. */
  readonly clusterName: string;
  /** The cluster's Kubernetes version: add-on versions follow it. */
  readonly kubernetesVersion: string;
  /** AWS partition (aws, aws-us-gov, …), for the ARNs of the managed policies the add-ons' roles carry. */
  readonly partition: string;
  /** The cluster's OIDC provider, which the add-ons' roles trust (IRSA). */
  readonly identity: ServiceAccountIdentity;
  /**
   * What must exist before the add-ons install.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export type NetworkAddonsProps = EksAddonsProps;

export interface WorkloadAddonsProps extends EksAddonsProps {
  /**
   * Whether to install the EFS CSI driver, for the shared model cache's StorageClass.
   * @default false
   */
  readonly efsCsiDriver?: boolean;
}

/**
 * EKS managed add-ons at the version EKS names as default for the cluster's Kubernetes
 * version, looked up at deploy time: bumping eksVersion upgrades them in the same apply.
 * The kit owns their settings.
 */
function addon(
  scope: Construct,
  name: string,
  props: EksAddonsProps,
  extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {},
): EksAddon {
  const version = new DataAwsEksAddonVersion(scope, `${name}-version`, {
    addonName: name,
    kubernetesVersion: props.kubernetesVersion,
    mostRecent: false,
  });
  return new EksAddon(scope, name, {
    clusterName: props.clusterName,
    addonName: name,
    addonVersion: version.version,
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
    dependsOn: props.dependsOn && [...props.dependsOn],
    ...extra,
  });
}

/** Pod networking, needed before any node can become Ready. */
export class NetworkAddons extends Construct {
  /** vpc-cni and kube-proxy: node groups depend on them, or their nodes never become Ready. */
  readonly addons: readonly EksAddon[];

  constructor(scope: Construct, id: string, props: NetworkAddonsProps) {
    super(scope, id);
    const cniRole = new Role(this, "vpc-cni-role", {
      namePrefix: `${props.clusterName}-vpc-cni-`,
      description: `VPC CNI (aws-node) of ${props.clusterName}: assigns pod IPs`,
      trust: serviceAccountTrust(props.identity, "kube-system", "aws-node"),
      managedPolicyArns: [managedPolicyArn(props.partition, "AmazonEKS_CNI_Policy")],
    });
    this.addons = [
      addon(this, "vpc-cni", props, {
        serviceAccountRoleArn: cniRole.arn,
        // Without this EKS accepts NetworkPolicies and silently enforces none of them.
        configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
        dependsOn: [...cniRole.grants, ...(props.dependsOn ?? [])],
      }),
      addon(this, "kube-proxy", props),
    ];
  }
}

/** Add-ons that run as Deployments and so need nodes: cluster DNS, the EBS volume driver and, for a shared cache, the EFS one. */
export class WorkloadAddons extends Construct {
  /** The EBS CSI driver, which provisions the volumes of StorageClasses on ebs.csi.aws.com. */
  readonly ebsCsiDriver: EksAddon;
  /** CoreDNS and the EBS CSI driver. */
  readonly addons: readonly EksAddon[];

  constructor(scope: Construct, id: string, props: WorkloadAddonsProps) {
    super(scope, id);
    const coredns = addon(this, "coredns", props);
    const ebsRole = new Role(this, "ebs-csi-role", {
      namePrefix: `${props.clusterName}-ebs-csi-`,
      description: `EBS CSI controller of ${props.clusterName}: creates and attaches the model-cache volumes`,
      trust: serviceAccountTrust(props.identity, "kube-system", "ebs-csi-controller-sa"),
      managedPolicyArns: [managedPolicyArn(props.partition, "service-role/AmazonEBSCSIDriverPolicy")],
    });
    this.ebsCsiDriver = addon(this, "aws-ebs-csi-driver", props, {
      serviceAccountRoleArn: ebsRole.arn,
      dependsOn: [...ebsRole.grants, ...(props.dependsOn ?? [])],
    });
    const efs = props.efsCsiDriver ? this.efsCsiDriver(props) : undefined;
    this.addons = [coredns, this.ebsCsiDriver, ...(efs ? [efs] : [])];
  }

  /**
   * The EFS CSI driver: its controller creates and deletes the access points of the shared model
   * cache, through IRSA on `efs-csi-controller-sa` with AWS's managed policy; its node plugin,
   * which mounts, needs no role for access-point mounts and tolerates every taint, the GPU pools'
   * included (`node.tolerations: [{operator: Exists}]` in charts/aws-efs-csi-driver/values.yaml;
   * docs/iam-policy-create.md; kubernetes-sigs/aws-efs-csi-driver @ a4fc6760, read 2026-11-26).
   */
  private efsCsiDriver(props: WorkloadAddonsProps): EksAddon {
    const role = new Role(this, "efs-csi-role", {
      namePrefix: `${props.clusterName}-efs-csi-`,
      description: `EFS CSI controller of ${props.clusterName}: creates the model cache's access points`,
      trust: serviceAccountTrust(props.identity, "kube-system", "efs-csi-controller-sa"),
      managedPolicyArns: [managedPolicyArn(props.partition, "service-role/AmazonEFSCSIDriverPolicy")],
    });
    return addon(this, "aws-efs-csi-driver", props, {
      serviceAccountRoleArn: role.arn,
      dependsOn: [...role.grants, ...(props.dependsOn ?? [])],
    });
  }
}
