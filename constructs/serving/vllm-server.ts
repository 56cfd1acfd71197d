import { LEADER_POD_LABELS, LEADER_WORKER_SET_API_VERSION, LEADER_WORKER_SET_KIND } from "../../core/leader-worker-set";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Construct } from "constructs";
import { GATEWAY_PROXY_SETTINGS, gatewayConfig } from "../../core/gateway-config";
import type { PlannedModel } from "../../core/load-environment";
import { SERVICE_PORT, modelResourceName, vllmPodLabels, warmupJobName, warmupPodLabels } from "../../core/names";
import { initialReplicas, peakReplicas } from "../../core/scale/autoscaling";
import { DEFAULT_ROUTER_REPLICAS, DEFAULT_ROUTING_POLICY, isRouted } from "../../core/scale/routing";
import type { Rollout } from "../../core/scale/rollout";
import { startupBudgetSeconds } from "../../core/vllm-server-spec";
import { loadBalancerSchemeAnnotations } from "./load-balancer-scheme";
import { ModelCacheWarmupJob } from "./model-cache-warmup-job";
import { ModelRouter } from "./model-router";
import { PUBLIC_INTERNET } from "./network-peers";
import { RAY_GROUP_TIMEOUT_SECONDS, rayLeaderEntry, rayWorkerEntry } from "./ray-group-start";
import { toKubernetesPodSpec, toProviderPodSpec, vllmPodSpec, type KubernetesPodSpec, type VllmPodOptions } from "./vllm-pod";

/** The Service in front of a model. */
export interface ServiceExposure {
  /** Kubernetes Service type. */
  readonly type: "ClusterIP" | "NodePort" | "LoadBalancer";
  /**
   * Port the Service (and a load balancer's listener) serves on.
   * @default SERVICE_PORT (8000)
   */
  readonly port?: number;
  /**
   * Node port of a NodePort Service.
   * @default - none: Kubernetes picks a free one
   */
  readonly nodePort?: number;
  /**
   * Annotations of the Service, e.g. a load balancer controller's settings.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * For a LoadBalancer: true adds the internal-load-balancer annotations of AWS, GKE and AKS,
   * false the AWS controller's internet-facing scheme (its default is internal). They take
   * precedence over `annotations` with the same keys, so `internal` always means internal.
   * @default - no scheme annotation: the controller's default
   */
  readonly internal?: boolean;
  /**
   * Client CIDRs a LoadBalancer Service admits.
   * @default - none: the load balancer restricts no source
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

export interface VllmServerProps extends Omit<VllmPodOptions, "serviceAccountName"> {
  /** Namespace of the server's objects: the models' namespace. */
  readonly namespace: string;
  /**
   * The Service in front of the model.
   * @default - a ClusterIP Service on SERVICE_PORT
   */
  readonly service?: ServiceExposure;
  /**
   * Extra path prefix the gateway accepts and strips (Ingress exposure routes `/<name>/v1` here).
   * @default - none: the gateway serves `/v1` only
   */
  readonly gatewayPathPrefix?: string;
  /**
   * Whether the pods may reach the Internet on HTTPS to download weights from the Hugging Face
   * Hub: a NetworkPolicy `<name>-model-download` allows TCP 443 to public addresses only. With
   * false the policy is absent and HF_HUB_OFFLINE=1: the cache must already hold the weights.
   * @default true
   */
  readonly modelDownload?: boolean;
  /**
   * A warm-up Job fills the cache before the server starts (ModelCacheWarmupJob): the download
   * policy then admits the Job's pod instead of the server's, which start offline behind an init
   * container that checks the Job's completion marker; the startup probe budgets loading only.
   * Without `modelDownload` there is nothing to download and no Job.
   * @default true
   */
  readonly warmCache?: boolean;
  /**
   * Namespace whose Prometheus scrapes the model's router, when it has one.
   * @default - none: the router's metrics port admits no one
   */
  readonly monitoringNamespace?: string;
  /**
   * How a change rolls out (core/scale/rollout.ts): `surge` where the pool has GPUs for one more replica.
   * @default - one-at-a-time with several replicas, recreate with one
   */
  readonly rollout?: Rollout;
  /**
   * Whether the replicas may run on different nodes (their cache is ReadWriteMany): they are then
   * spread over zones and nodes where the scheduler can.
   * @default false: a ReadWriteOnce cache keeps them on one node
   */
  readonly spreadReplicas?: boolean;
}

/**
 * One model served by vLLM: a Deployment (a replica fits on one node) or a LeaderWorkerSet
 * (a replica spans nodes; Ray joins them), the gateway config, and a Service in front.
 */
export class VllmServer extends Construct {
  /** Name of the model's Deployment or LeaderWorkerSet, Service and gateway ConfigMap. */
  readonly resourceName: string;
  /** The Service in front of the model; its status holds the addresses assigned at deploy time. */
  readonly service: ServiceV1;
  /** The router in front of the replicas, for a model with more than one. */
  readonly router?: ModelRouter;

  constructor(scope: Construct, id: string, props: VllmServerProps) {
    super(scope, id);
    const { model, namespace } = props;
    this.resourceName = modelResourceName(model.config.servedName);
    const labels = vllmPodLabels(model.config.servedName);
    const selector = { "app.kubernetes.io/name": labels["app.kubernetes.io/name"], "app.kubernetes.io/instance": this.resourceName };

    const gateway = new ConfigMapV1(this, "gateway-config", {
      metadata: { name: `${this.resourceName}-gateway`, namespace, labels },
      data: { "default.conf": gatewayConfig(props.gatewayPathPrefix ?? ""), "proxy.inc": GATEWAY_PROXY_SETTINGS },
    });
    // Its own identity, with no API token: nothing in the pod talks to the Kubernetes API.
    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: this.resourceName, namespace, labels },
      automountServiceAccountToken: false,
    });
    const modelDownload = props.modelDownload ?? true;
    const warmed = modelDownload && (props.warmCache ?? true);
    const pod = vllmPodSpec({
      model,
      image: props.image,
      apiKeys: props.apiKeys,
      huggingFaceToken: props.huggingFaceToken,
      cacheClaimName: props.cacheClaimName,
      gatewayConfigMap: gateway.metadata.name,
      serviceAccountName: serviceAccount.metadata.name,
      // Offline, vLLM resolves the revision from the cache's refs/ entry the Job's `hf download`
      // wrote (vllm/transformers_utils/repo_utils.py `resolve_revision`, local_files_only under
      // HF_HUB_OFFLINE, main @ 455edc022, read 2026-11-26): it loads exactly what the Job verified.
      offline: !modelDownload || warmed,
      warmedCache: warmed,
    });
    const warmupLabels = warmupPodLabels(model.config.servedName);
    const warmup =
      warmed &&
      new ModelCacheWarmupJob(this, "cache-warmup", {
        namespace,
        name: warmupJobName(model.config.servedName),
        model,
        image: props.image,
        podLabels: warmupLabels,
        serverPodLabels: selector,
        placement: model.pool,
        cacheClaimName: props.cacheClaimName,
        serviceAccountName: serviceAccount.metadata.name,
        huggingFaceToken: props.huggingFaceToken,
      });
    if (modelDownload) {
      // The only way out of the namespace besides DNS: HTTPS to public addresses (the Hub and
      // its CDN), never to private ranges or the cloud metadata endpoint. With a warmed cache only
      // the warm-up Job's pod downloads; the servers start offline.
      new NetworkPolicyV1(this, "allow-model-download", {
        metadata: { name: `${this.resourceName}-model-download`, namespace },
        spec: {
          podSelector: {
            matchLabels: warmed
              ? {
                  "app.kubernetes.io/name": warmupLabels["app.kubernetes.io/name"],
                  "app.kubernetes.io/instance": warmupLabels["app.kubernetes.io/instance"],
                }
              : selector,
          },
          policyTypes: ["Egress"],
          egress: [{ to: [PUBLIC_INTERNET], ports: [{ port: "443", protocol: "TCP" }] }],
        },
      });
    }
    if (model.plan.nodesPerReplica === 1) {
      new DeploymentV1(this, "deployment", {
        metadata: { name: this.resourceName, namespace, labels },
        spec: {
          replicas: String(initialReplicas(model.config)),
          selector: { matchLabels: selector },
          strategy: deploymentStrategy(
            props.rollout ??
              (peakReplicas(model.config) > 1 ? { kind: "one-at-a-time" } : { kind: "recreate", downSeconds: 0, reason: "" }),
          ),
          template: {
            metadata: { labels },
            spec: {
              ...toProviderPodSpec(pod, model.pool),
              topologySpreadConstraint: props.spreadReplicas && peakReplicas(model.config) > 1 ? replicaSpread(selector) : undefined,
            },
          },
        },
        waitForRollout: false,
        // KEDA owns the count of an autoscaled model: a later apply must not reset it.
        lifecycle: model.config.autoscaling ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
        // After the warm-up Job completed: the provider waits for it (wait_for_completion).
        dependsOn: warmup ? [warmup.job] : undefined,
      });
    } else {
      new Manifest(this, "leader-worker-set", {
        manifest: leaderWorkerSet(this.resourceName, namespace, labels, model, toKubernetesPodSpec(pod, model.pool)),
        dependsOn: warmup ? [warmup.job] : undefined,
      });
      // Ray and NCCL traffic between the pods of this model's replicas, and no one else's, both ways.
      new NetworkPolicyV1(this, "allow-replica-peers", {
        metadata: { name: `${this.resourceName}-peers`, namespace },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: { matchLabels: selector } }] }],
          egress: [{ to: [{ podSelector: { matchLabels: selector } }] }],
        },
      });
    }

    if (peakReplicas(model.config) > 1) {
      // A drain evicts one replica at a time; the others keep serving.
      new PodDisruptionBudgetV1(this, "disruption-budget", {
        metadata: { name: this.resourceName, namespace, labels },
        spec: { selector: { matchLabels: selector }, maxUnavailable: "1" },
      });
    }
    if (isRouted(model.config)) {
      this.router = new ModelRouter(this, "router", {
        namespace,
        servedName: model.config.servedName,
        policy: model.config.router?.policy ?? DEFAULT_ROUTING_POLICY,
        replicas: model.config.router?.replicas ?? DEFAULT_ROUTER_REPLICAS,
        workerStartupSeconds: startupBudgetSeconds(model, { warmed }),
        replicasSpanNodes: model.plan.nodesPerReplica > 1,
        gatewayPathPrefix: props.gatewayPathPrefix,
        monitoringNamespace: props.monitoringNamespace,
      });
    }

    const exposure: ServiceExposure = props.service ?? { type: "ClusterIP" };
    const annotations =
      exposure.type === "LoadBalancer" && exposure.internal !== undefined
        ? { ...exposure.annotations, ...loadBalancerSchemeAnnotations(exposure.internal) }
        : exposure.annotations;
    this.service = new ServiceV1(this, "service", {
      metadata: { name: this.resourceName, namespace, labels, annotations },
      spec: {
        type: exposure.type,
        // The router when there is one; otherwise the model's pods (only the leader of a multi-node replica serves the API).
        selector: this.router ? this.router.podLabels : model.plan.nodesPerReplica > 1 ? { ...selector, ...LEADER_POD_LABELS } : selector,
        port: [{ name: "api", port: exposure.port ?? SERVICE_PORT, targetPort: "api", nodePort: exposure.nodePort }],
        loadBalancerSourceRanges: exposure.loadBalancerSourceRanges && [...exposure.loadBalancerSourceRanges],
        // NodePort and node-routed LoadBalancer Services: traffic stays on the node that received it,
        // so the pod sees the client's address, which the NetworkPolicy allow-list checks. The AWS
        // target's NLB targets pod IPs directly, where this changes nothing: its policy admits the
        // NLB's subnets instead (constructs/aws/model-exposure.ts).
        externalTrafficPolicy: exposure.type === "ClusterIP" ? undefined : "Local",
      },
      waitForLoadBalancer: exposure.type === "LoadBalancer",
    });
  }
}

/**
 * A surge pod only where the pool has a free GPU for it (otherwise it would stay Pending and the
 * rollout stall); else the old pods make room first.
 */
function deploymentStrategy(rollout: Rollout): { type: string; rollingUpdate?: { maxSurge: string; maxUnavailable: string } } {
  switch (rollout.kind) {
    case "surge":
      return { type: "RollingUpdate", rollingUpdate: { maxSurge: "1", maxUnavailable: "0" } };
    case "one-at-a-time":
      return { type: "RollingUpdate", rollingUpdate: { maxSurge: "0", maxUnavailable: "1" } };
    case "recreate":
      return { type: "Recreate" };
  }
}

/**
 * LeaderWorkerSet: each replica is a group of `nodesPerReplica` pods; the leader starts a Ray
 * head and, once every worker has joined it, vLLM, which spreads TP×PP ranks over the group
 * (ray-group-start.ts). The leader's startup probe also allows for the wait.
 */
function leaderWorkerSet(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  model: PlannedModel,
  podSpec: KubernetesPodSpec,
): Record<string, unknown> {
  const [vllm, ...sidecars] = podSpec.containers;
  const startup = vllm.startupProbe && {
    ...vllm.startupProbe,
    failureThreshold: vllm.startupProbe.failureThreshold + Math.ceil(RAY_GROUP_TIMEOUT_SECONDS / vllm.startupProbe.periodSeconds),
  };
  const leader = {
    ...podSpec,
    containers: [{ ...vllm, ...rayLeaderEntry([...(vllm.command ?? []), ...(vllm.args ?? [])]), startupProbe: startup }, ...sidecars],
  };
  const worker = {
    ...podSpec,
    containers: [
      {
        ...vllm,
        ...rayWorkerEntry(),
        args: undefined,
        ports: undefined,
        startupProbe: undefined,
        readinessProbe: undefined,
        livenessProbe: undefined,
      },
    ],
  };
  return {
    apiVersion: LEADER_WORKER_SET_API_VERSION,
    kind: LEADER_WORKER_SET_KIND,
    metadata: { name, namespace, labels },
    spec: {
      // KEDA owns the group count of an autoscaled model: leaving it out of the manifest keeps a
      // later apply (server-side, for its fields only) from resetting it; LWS starts at 1 group
      // (`+kubebuilder:default=1`) and KEDA brings it to minReplicas at its first poll.
      ...(model.config.autoscaling ? {} : { replicas: model.config.replicas }),
      leaderWorkerTemplate: {
        size: model.plan.nodesPerReplica,
        restartPolicy: "RecreateGroupOnPodRestart",
        leaderTemplate: { metadata: { labels }, spec: leader },
        workerTemplate: { metadata: { labels }, spec: worker },
      },
    },
  };
}

/**
 * One replica per zone, then per node, as far as the pool allows: a soft preference
 * (`ScheduleAnyway`), so it never leaves a replica pending. Keys are the well-known node labels
 * `topology.kubernetes.io/zone` and `kubernetes.io/hostname` (kubernetes.io/docs/reference/labels-annotations-taints,
 * read 2026-11-26).
 */
function replicaSpread(selector: Record<string, string>) {
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: [{ matchLabels: selector }],
  }));
}
