import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

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
