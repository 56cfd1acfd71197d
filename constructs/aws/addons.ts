import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Role, managedPolicyArn, serviceAccountTrust, type ServiceAccountIdentity } from "./iam";

export interface AddonProps {
  clusterName: string;
  /** The cluster's Kubernetes version: add-on versions follow it. */
  kubernetesVersion: string;
  partition: string;
  identity: ServiceAccountIdentity;
  dependsOn?: ITerraformDependable[];
}

/**
 * EKS managed add-ons at the version EKS names as default for the cluster's Kubernetes
 * version, looked up at deploy time: bumping eksVersion upgrades them in the same apply.
 * The kit owns their settings.
 */
function addon(scope: Construct, name: string, props: AddonProps, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}): EksAddon {
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
    dependsOn: props.dependsOn,
    ...extra,
  });
}

/** Pod networking, needed before any node can become Ready. */
export class NetworkAddons extends Construct {
  readonly addons: EksAddon[];

  constructor(scope: Construct, id: string, props: AddonProps) {
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

/** Add-ons that run as Deployments and so need nodes: cluster DNS and the EBS volume driver. */
export class WorkloadAddons extends Construct {
  readonly ebsCsiDriver: EksAddon;
  readonly addons: EksAddon[];

  constructor(scope: Construct, id: string, props: AddonProps) {
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
    this.addons = [coredns, this.ebsCsiDriver];
  }
}
