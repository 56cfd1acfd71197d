import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import YAML from "yaml";
import type { PlannedModel } from "../../core/environment";
import { KEDA_CHART } from "../../core/pins";
import { KEDA_API_SERVER_TARGETS, kedaValues, scaledObjectManifest } from "../../monitoring/autoscaling";
import { kitNamespaceLabels } from "./network-peers";

export interface KedaInstallProps {
  /** Namespace KEDA runs in; the construct creates it, enforcing the restricted Pod Security Standard. */
  readonly namespace: string;
  /** The serving namespace: the only one whose ScaledObjects KEDA acts on. */
  readonly watchNamespace: string;
  /**
   * Whether a ScaledObject scales a LeaderWorkerSet, which KEDA may then reach (and nothing else
   * beyond Deployments and StatefulSets).
   * @default false
   */
  readonly scalesLeaderWorkerSets?: boolean;
}

/**
 * The pinned KEDA release (operator, metrics API server, admission webhooks and the CRDs) in a
 * namespace of its own. Its pods meet the restricted standard and its chart's NetworkPolicies
 * are on: DNS, the API server and the scalers' targets out, the metrics API in.
 */
export class KedaInstall extends Construct {
  /** The release, for what needs KEDA's CRDs or webhooks first. */
  readonly release: Release;

  constructor(scope: Construct, id: string, props: KedaInstallProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.namespace, labels: kitNamespaceLabels("restricted") },
    });
    // The chart's own policies admit its API-facing ports from pods only; the API server calls the
    // metrics API and the admission webhook from an address no policy can name (as for the
    // prometheus-operator's webhook), so those two ports are open to any source.
    const apiServerAllows = KEDA_API_SERVER_TARGETS.map(
      ({ pod, port }) =>
        new NetworkPolicyV1(this, `allow-api-server-${pod.app}`, {
          metadata: { name: `allow-api-server-to-${pod.app}`, namespace: namespace.metadata.name },
          spec: {
            podSelector: { matchLabels: { ...pod } },
            policyTypes: ["Ingress"],
            ingress: [{ ports: [{ port: String(port), protocol: "TCP" }] }],
          },
        }),
    );
    this.release = new Release(this, "keda", {
      name: "keda",
      namespace: namespace.metadata.name,
      dependsOn: apiServerAllows,
      ...KEDA_CHART,
      values: [
        YAML.stringify(
          kedaValues({ watchNamespace: props.watchNamespace, scalesLeaderWorkerSets: props.scalesLeaderWorkerSets ?? false }),
          { lineWidth: 0 },
        ),
      ],
      atomic: true,
      timeout: 600,
    });
  }
}

export interface ModelAutoscalerProps {
  /** An autoscaled model (`config.autoscaling` set): a Deployment, or a LeaderWorkerSet when its replicas span nodes. */
  readonly model: Pick<PlannedModel, "config" | "plan">;
  /** Namespace of the model's workload. */
  readonly namespace: string;
  /** The environment's Prometheus, which KEDA asks for the model's queue depth. */
  readonly prometheusUrl: string;
  /**
   * Whether the warm-up Job fills the model's cache: a new replica then only loads, which sizes the default cooldown.
   * @default false
   */
  readonly cacheWarmed?: boolean;
}

/** The model's ScaledObject: KEDA scales its Deployment (or LeaderWorkerSet) between minReplicas and maxReplicas on queue depth. */
export class ModelAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ModelAutoscalerProps) {
    super(scope, id);
    new Manifest(this, "scaled-object", {
      manifest: scaledObjectManifest({
        model: props.model,
        namespace: props.namespace,
        prometheusUrl: props.prometheusUrl,
        cacheWarmed: props.cacheWarmed ?? false,
      }),
    });
  }
}
