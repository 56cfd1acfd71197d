import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { Construct } from "constructs";

export interface ModelCacheProps {
  /** Namespace of the claim: the models' namespace, since pods mount claims of their own namespace only. */
  readonly namespace: string;
  /** Name of the PersistentVolumeClaim. */
  readonly name: string;
  /** Requested capacity, a Kubernetes quantity such as `100Gi`: room for every weight file the model downloads. */
  readonly size: string;
  /**
   * StorageClass the volume is provisioned from.
   * @default - none: the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /** ReadWriteMany lets replicas on several nodes share the cache; the StorageClass must support it. */
  readonly accessMode: "ReadWriteOnce" | "ReadWriteMany";
}

/** A persistent Hugging Face cache, so a restarted pod loads weights instead of downloading them. */
export class ModelCache extends Construct {
  /** A reference to the claim's name: mounting it orders the claim before the pods. */
  readonly claimName: string;

  constructor(scope: Construct, id: string, props: ModelCacheProps) {
    super(scope, id);
    const claim = new PersistentVolumeClaimV1(this, "claim", {
      metadata: { name: props.name, namespace: props.namespace, labels: { "app.kubernetes.io/part-of": "aicockpit" } },
      spec: {
        accessModes: [props.accessMode],
        storageClassName: props.storageClass,
        resources: { requests: { storage: props.size } },
      },
      waitUntilBound: false,
    });
    this.claimName = claim.metadata.name;
  }
}
