import { PersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1";
import { Construct } from "constructs";

export interface ModelCacheProps {
  namespace: string;
  name: string;
  size: string;
  storageClass?: string;
  accessMode: "ReadWriteOnce" | "ReadWriteMany";
}

/** A persistent Hugging Face cache, so a restarted pod loads weights instead of downloading them. */
export class ModelCache extends Construct {
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
