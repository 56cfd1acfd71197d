import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { SHARED_MODEL_CACHE_STORAGE_CLASS } from "../../core/aws/names";

/** Name of the default StorageClass the kit makes on aws. */
export const DEFAULT_STORAGE_CLASS = "aicockpit-gp3";

export interface EncryptedDefaultStorageClassProps {
  /**
   * What must exist before the class (the EBS CSI driver that provisions its volumes).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The cluster's default StorageClass: encrypted gp3 through the EBS CSI driver. Recent EKS
 * versions mark no class as default, which would leave the model-cache claims pending.
 */
export class EncryptedDefaultStorageClass extends Construct {
  constructor(scope: Construct, id: string, props: EncryptedDefaultStorageClassProps = {}) {
    super(scope, id);
    new StorageClassV1(this, "storage-class", {
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      storageProvisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      // Create the volume in the AZ of the node the pod lands on.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }
}

export interface SharedModelCacheStorageClassProps {
  /** The EFS file system the class provisions access points on. */
  readonly fileSystemId: string;
  /** The POSIX user and group every access point enforces: the vLLM pods' (and warm-up Job's) user. */
  readonly uid: number;
}

/**
 * The class of the shared model cache: each claim gets its own EFS access point (its own
 * directory, owned by `uid` with mode 700, every client's writes made as that user), so the
 * non-root vLLM pods can write and no claim reaches another's files. Parameters as the driver's
 * docs/parameters.md @ a4fc6760 (kubernetes-sigs/aws-efs-csi-driver, read 2026-11-26) names
 * them; it cannot expand volumes (ControllerExpandVolume is unimplemented) and ignores the
 * requested size, so the class allows no expansion.
 */
export class SharedModelCacheStorageClass extends Construct {
  constructor(scope: Construct, id: string, props: SharedModelCacheStorageClassProps) {
    super(scope, id);
    new StorageClassV1(this, "storage-class", {
      metadata: { name: SHARED_MODEL_CACHE_STORAGE_CLASS },
      storageProvisioner: "efs.csi.aws.com",
      parameters: {
        provisioningMode: "efs-ap",
        fileSystemId: props.fileSystemId,
        directoryPerms: "700",
        uid: String(props.uid),
        gid: String(props.uid),
      },
      // An EFS file system is regional: a volume has no zone to wait for.
      volumeBindingMode: "Immediate",
      allowVolumeExpansion: false,
      reclaimPolicy: "Delete",
    });
  }
}
