import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** NFS, the one port an EFS mount target serves. */
const NFS_PORT = 2049;

export interface SharedModelCacheFileSystemProps {
  /** The EKS cluster's name: names the file system and its security group. */
  readonly name: string;
  /** The VPC of the cluster. */
  readonly vpcId: string;
  /** The nodes' private subnets: one mount target each, so every AZ with nodes has one. */
  readonly subnets: readonly { readonly id: string; readonly cidrBlock: string }[];
}

/**
 * The file system behind the shared (ReadWriteMany) model cache on aws: encrypted at rest (the
 * EFS CSI driver mounts access points with TLS, `accesspoint=<id>,tls`: pkg/driver/node.go @
 * a4fc6760), Elastic throughput (loading weights is bursty: many GB at a server's start, then
 * nothing; the provider's default is bursting), a mount target in each node subnet, reachable on
 * NFS from the node subnets only.
 */
export class SharedModelCacheFileSystem extends Construct {
  /** The file system's id, for the StorageClass that provisions access points on it. */
  readonly fileSystemId: string;

  constructor(scope: Construct, id: string, props: SharedModelCacheFileSystemProps) {
    super(scope, id);
    const fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: `${props.name}-model-cache`,
      encrypted: true,
      performanceMode: "generalPurpose",
      throughputMode: "elastic",
      tags: { Name: `${props.name}-model-cache` },
    });
    // In place of EFS's default policy (full access, root included, for any client that reaches a
    // mount target): clients mount and write through a mount target, never as root (root squash;
    // the access points act as the vLLM user anyway), and only over TLS. Keys and the non-public
    // rule for AccessedViaMountTarget: amazon-efs-user-guide iam-access-control-nfs-efs.md and
    // access-control-block-public-access.md @ 3046dd78 (read 2026-11-26).
    const policy = new DataAwsIamPolicyDocument(this, "file-system-policy-document", {
      statement: [
        {
          sid: "MountAndWriteThroughMountTargetsNotAsRoot",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          resources: [fileSystem.arn],
          condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }],
        },
        {
          sid: "DenyWithoutTls",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["*"],
          resources: [fileSystem.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new EfsFileSystemPolicy(this, "file-system-policy", { fileSystemId: fileSystem.id, policy: policy.json });
    const securityGroup = new SecurityGroup(this, "security-group", {
      namePrefix: `${props.name}-model-cache-`,
      description: `NFS to the model-cache file system of ${props.name}, from its nodes only`,
      vpcId: props.vpcId,
      // No egress rule: a mount target answers, it never opens connections.
      egress: [],
      tags: { Name: `${props.name}-model-cache` },
    });
    props.subnets.forEach((subnet, index) => {
      // NFS from the node subnets, as the driver's guide admits the VPC's (aws-efs-csi-driver
      // docs/efs-create-filesystem.md @ a4fc6760, read 2026-11-26), narrowed to where nodes are: the
      // driver's node plugin mounts from the host network (hostNetwork: true in its DaemonSet).
      new VpcSecurityGroupIngressRule(this, `nfs-from-nodes-${index}`, {
        securityGroupId: securityGroup.id,
        description: "NFS from a node subnet",
        ipProtocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        cidrIpv4: subnet.cidrBlock,
      });
      // One mount target per AZ that has nodes, or pods there wait in ContainerCreating.
      new EfsMountTarget(this, `mount-target-${index}`, {
        fileSystemId: fileSystem.id,
        subnetId: subnet.id,
        securityGroups: [securityGroup.id],
      });
    });
    this.fileSystemId = fileSystem.id;
  }
}
