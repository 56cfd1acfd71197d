/**
 * What KEDA is given: the values of its pinned chart and, per autoscaled model, the ScaledObject
 * that scales the model's Deployment (or LeaderWorkerSet) on the queue depth vLLM reports to the
 * environment's Prometheus. Pure: the constructs wrap them (constructs/serving/keda.ts).
 *
 * ScaledObject fields as KEDA 2.20 defines them: the chart's CRD (`keda/templates/crds/
 * crd-scaledobjects.yaml` @ v2.20.2) and keda-docs `content/docs/2.20/reference/
 * scaledobject-spec.md` and `scalers/prometheus.md` @ a55c5d34, read 2026-11-26:
 * `cooldownPeriod` applies only to scaling to zero; from N to 1 the HPA's scale-down
 * `stabilizationWindowSeconds` (under `advanced.horizontalPodAutoscalerConfig.behavior`) does.
 * `idleReplicaCount` 0 (the only value it supports) idles the target while no trigger is
 * active. A prometheus trigger takes `serverAddress`, `query` (one element), `threshold` and
 * `activationThreshold` as strings; `metricType` is `AverageValue` (value / replicas against
 * the threshold) by default, or `Value`.
 */
import {
  LEADER_WORKER_SET_API_VERSION,
  LEADER_WORKER_SET_GROUP,
  LEADER_WORKER_SET_KIND,
  LEADER_WORKER_SET_RESOURCE,
} from "../core/leader-worker-set";
import type { PlannedModel } from "../core/environment";
import { modelResourceName, vllmPodLabels } from "../core/names";
import { cooldownSeconds } from "../core/scale/autoscaling";
import { ROUTER_JOB, ROUTER_METRICS } from "./router-metrics";
import { VLLM_METRICS } from "./vllm-metrics";

/** How often KEDA asks Prometheus: twice per vLLM scrape interval (15 s) would only re-read the same sample. */
export const KEDA_POLLING_INTERVAL_SECONDS = 15;

/**
 * The scale-from-zero trigger only decides whether the model is needed: its threshold is above
 * any request rate one router serves, so on its own it never asks for a second replica (the
 * HPA takes the largest of the triggers' replica counts).
 */
export const ACTIVATION_ONLY_THRESHOLD = 1_000_000;

/** The operator's pod labels in KEDA_CHART (`keda/templates/manager/deployment.yaml`: `app: {{ operator.name }}`, default keda-operator). */
export const KEDA_OPERATOR_POD = { app: "keda-operator" } as const;

/**
 * What the API server calls in KEDA_CHART, by pod label and port (`keda/values.yaml` @ v2.20.2:
 * `service.portHttpsTarget` 6443 for the metrics API server, `webhooks.port` default 9443, and the
 * templates' `app:` labels).
 */
export const KEDA_API_SERVER_TARGETS = [
  { pod: { app: "keda-operator-metrics-apiserver" }, port: 6443 },
  { pod: { app: "keda-admission-webhooks" }, port: 9443 },
] as const;

export interface ScaledObjectInput {
  model: Pick<PlannedModel, "config" | "plan">;
  /** Namespace of the model's Deployment (and of the ScaledObject). */
  namespace: string;
  /** The environment's Prometheus, e.g. prometheusServiceUrl(namespace). */
  prometheusUrl: string;
  /** Whether the warm-up Job fills the model's cache, so a new replica only loads (the default cooldown). */
  cacheWarmed: boolean;
}

/** PromQL selector of one model's series scraped by the kit's PodMonitors. */
function seriesOf(servedName: string, namespace: string, job: string): string {
  return `{job="${job}",namespace="${namespace}",model_name="${servedName}"}`;
}

/** The ScaledObject of an autoscaled model (the caller passes only models with `autoscaling`). */
export function scaledObjectManifest({ model, namespace, prometheusUrl, cacheWarmed }: ScaledObjectInput): Record<string, unknown> {
  const scaling = model.config.autoscaling;
  if (!scaling) throw new Error(`${model.config.servedName} has no autoscaling section`);
  const name = modelResourceName(model.config.servedName);
  const vllm = seriesOf(model.config.servedName, namespace, vllmPodLabels(model.config.servedName)["app.kubernetes.io/name"]);
  const cooldown = cooldownSeconds(model, { warmed: cacheWarmed });
  const prometheus = (query: string, threshold: number, activationThreshold?: number) => ({
    serverAddress: prometheusUrl,
    query,
    threshold: String(threshold),
    ...(activationThreshold === undefined ? {} : { activationThreshold: String(activationThreshold) }),
    // An empty answer (Prometheus lost the target) is an error, so KEDA keeps the current count instead of
    // reading 0; except for a model idling at zero, whose vLLM series are rightly absent then.
    ignoreNullValues: scaling.scaleToZero ? "true" : "false",
  });
  const triggers: Record<string, unknown>[] = [
    {
      type: "prometheus",
      name: "queue-depth",
      metadata: prometheus(`sum(${VLLM_METRICS.numRequestsWaiting.family}${vllm})`, scaling.queueDepthPerReplica),
    },
  ];
  if (scaling.kvCacheUsage !== undefined) {
    // The replicas' average, against the threshold as is: `Value`, not divided by the replica count again.
    triggers.push({
      type: "prometheus",
      name: "kv-cache-usage",
      metricType: "Value",
      metadata: prometheus(`avg(${VLLM_METRICS.kvCacheUsage.family}${vllm})`, scaling.kvCacheUsage),
    });
  }
  if (scaling.scaleToZero) {
    // With no replica there is no vLLM series: requests reaching the router say the model is wanted.
    // At zero they fail (counted as errors, "no_available_workers"), so both counters are read, in one
    // selector: a sum of two selectors would be empty while one of them has no series yet.
    const counters = `${ROUTER_METRICS.requests}|${ROUTER_METRICS.requestErrors}`;
    const router = `{__name__=~"${counters}",job="${ROUTER_JOB}",namespace="${namespace}",model_name="${model.config.servedName}"}`;
    triggers.push({
      type: "prometheus",
      name: "router-requests",
      metadata: prometheus(`sum(rate(${router}[2m]))`, ACTIVATION_ONLY_THRESHOLD, 0),
    });
  }
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name, namespace, labels: vllmPodLabels(model.config.servedName) },
    spec: {
      // A replica spanning nodes is a LeaderWorkerSet group; its scale subresource counts groups.
      scaleTargetRef:
        model.plan.nodesPerReplica > 1
          ? { apiVersion: LEADER_WORKER_SET_API_VERSION, kind: LEADER_WORKER_SET_KIND, name }
          : { apiVersion: "apps/v1", kind: "Deployment", name },
      pollingInterval: KEDA_POLLING_INTERVAL_SECONDS,
      cooldownPeriod: cooldown,
      minReplicaCount: scaling.minReplicas,
      maxReplicaCount: scaling.maxReplicas,
      ...(scaling.scaleToZero ? { idleReplicaCount: 0 } : {}),
      advanced: {
        horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: cooldown } } },
      },
      triggers,
    },
  };
}

export interface KedaValuesInput {
  /** Namespaces whose ScaledObjects KEDA acts on: the serving namespace. */
  watchNamespace: string;
  /** Whether a ScaledObject scales a LeaderWorkerSet (a model whose replicas span nodes). */
  scalesLeaderWorkerSets: boolean;
}

/**
 * The scale targets KEDA may reach beyond Deployments and StatefulSets (which its ClusterRole
 * always grants): LeaderWorkerSets, through their scale subresource (`+kubebuilder:subresource:scale`
 * on LeaderWorkerSet, selector `.status.hpaPodSelector`: the leaders; core/leader-worker-set.ts).
 * `kind` is the resource's plural: the chart writes it into the rule as `<kind>` and `<kind>/scale`.
 */
export const LEADER_WORKER_SET_SCALE_TARGET = { apiGroup: LEADER_WORKER_SET_GROUP, kind: LEADER_WORKER_SET_RESOURCE } as const;

/**
 * The chart's values: KEDA watches only the serving namespace, its pods meet the restricted Pod
 * Security Standard (the chart's container defaults, stated, plus the pod's seccomp profile),
 * and its own NetworkPolicies (the `kubernetes` flavor) are on. Its RBAC is narrowed from the
 * chart's defaults, which grant `get` on every resource of every API group (secrets included) and
 * `*\/scale` everywhere (`rbac.scaledRefKinds: [{apiGroup: "*", kind: "*"}]`): no custom scale
 * targets unless a LeaderWorkerSet is scaled, and then only that one; and the operator and
 * metrics server read Secrets only in KEDA's own namespace (the kit's triggers need none).
 * Keys checked against `keda/values.yaml`, templates/manager/clusterrole.yaml, minimal-rbac.yaml,
 * deployment.yaml and metrics-server/deployment.yaml @ v2.20.2 (read 2026-11-26): `watchNamespace`,
 * `networkPolicy.enabled`, `networkPolicy.flavor`, `podSecurityContext.<component>`,
 * `securityContext.<component>`, `rbac.enabledCustomScaledRefKinds`, `rbac.scaledRefKinds`,
 * `permissions.operator.restrict.secret`, `permissions.metricServer.restrict.secret`.
 */
export function kedaValues(input: KedaValuesInput): Record<string, unknown> {
  const pod = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
  const container = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
  return {
    watchNamespace: input.watchNamespace,
    networkPolicy: { enabled: true, flavor: "kubernetes" },
    podSecurityContext: { operator: pod, metricServer: pod, webhooks: pod },
    securityContext: { operator: container, metricServer: container, webhooks: container },
    rbac: {
      enabledCustomScaledRefKinds: input.scalesLeaderWorkerSets,
      scaledRefKinds: input.scalesLeaderWorkerSets ? [LEADER_WORKER_SET_SCALE_TARGET] : [],
    },
    permissions: { operator: { restrict: { secret: true } }, metricServer: { restrict: { secret: true } } },
  };
}
