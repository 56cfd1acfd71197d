/**
 * The pod of one vLLM server — the vLLM container and the API gateway sidecar — described
 * once and rendered both as a raw Kubernetes pod spec (for LeaderWorkerSet, which the provider
 * has no resource for) and as the kubernetes provider's Deployment blocks.
 */
import type { DeploymentV1SpecTemplateSpec } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import type { PlannedModel } from "../../core/load-environment";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { GATEWAY_IMAGE } from "../../core/pins";
import type { GpuPoolConfig } from "../../core/schema/serving";
import {
  GATEWAY_MEMORY_LIMIT_MIB,
  GATEWAY_REQUESTS,
  MARKER_CHECK_MEMORY_LIMIT_MIB,
  MARKER_CHECK_REQUESTS,
  cpuQuantity,
  memoryQuantity,
  sharedMemoryGiB,
  vllmContainerRequests,
  vllmMemoryLimitMiB,
} from "../../core/pod-resources";
import {
  GATEWAY_SCRATCH_VOLUME,
  GATEWAY_UID,
  VLLM_POD_SECURITY,
  VLLM_SCRATCH_VOLUMES,
  VLLM_UID,
  VLLM_WRITABLE_ENV,
  restrictedContainer,
  type ContainerSecurityContext,
  type PodSecurityContext,
} from "./pod-security";
import {
  HF_CACHE_PATH,
  STARTUP_PROBE_PERIOD_SECONDS,
  VLLM_COMMAND,
  VLLM_PRIVACY_ENV,
  startupBudgetSeconds,
  vllmArgs,
} from "../../core/vllm-server-spec";
import { markerCheckProgram } from "../../core/model-cache-warmup";

/** An environment variable read from a Secret entry. */
export interface SecretEnv {
  /** Name of the environment variable. */
  readonly name: string;
  /** Name of the Secret. */
  readonly secretName: string;
  /** Entry of the Secret that holds the value. */
  readonly secretKey: string;
}

/**
 * The Secret entries vLLM accepts client keys from: the key clients use and the next one. Both
 * go to `--api-key`, which takes several keys (vllm-project/vllm PR #18548, merged 2025-07, before
 * v0.11.0; FrontendArgs.api_key is `list[str]`, "require one of these keys"), so a rotation
 * accepts the old and the new key at once (docs/security.md). Both entries are required: an
 * unresolved `$(VAR)` would stay in the arguments literally and become a valid key.
 */
export interface ApiKeyEntries {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Entry with the key clients send (the extension reads this one). */
  readonly currentKey: string;
  /** Entry with the key accepted beside it; equal to the current key outside a rotation. */
  readonly nextKey: string;
}

/** Environment variables the keys reach vLLM's arguments through; never VLLM_API_KEY, which holds one key only. */
export const API_KEY_ENV = { current: "AICOCKPIT_API_KEY", next: "AICOCKPIT_API_KEY_NEXT" } as const;

/** Where a model's pods may run: the GPU pool's node selector and tolerations. */
export type Placement = Pick<GpuPoolConfig, "nodeSelector" | "tolerations">;

/** What a vLLM pod runs and mounts, as the deployer of a model gives it. */
export interface VllmPodOptions {
  /** The model, its planned parallelism and its GPU pool: vLLM's flags, the pod's resources and layout follow from it. */
  readonly model: PlannedModel;
  /** Image reference with its pinned tag, e.g. vllm/vllm-openai:v0.11.0. */
  readonly image: string;
  /** Secret entries vLLM reads the accepted API keys from. */
  readonly apiKeys: ApiKeyEntries;
  /**
   * Secret entry with a Hugging Face token, for gated models (Llama, Codestral).
   * @default - none: only public models download
   */
  readonly huggingFaceToken?: SecretEnv;
  /** PersistentVolumeClaim mounted as the Hugging Face cache. */
  readonly cacheClaimName: string;
  /** The model's own ServiceAccount, whose token is not mounted. */
  readonly serviceAccountName: string;
}

export interface VllmPodInputs extends VllmPodOptions {
  /** ConfigMap with the gateway's nginx configuration. */
  readonly gatewayConfigMap: string;
  /** No download path out of the namespace: the Hugging Face libraries stay offline (HF_HUB_OFFLINE=1). */
  readonly offline: boolean;
  /**
   * The model's warm-up Job filled the cache: an init container refuses to start the pod until the
   * Job's completion marker is there, and the startup probe budgets loading only.
   */
  readonly warmedCache: boolean;
}

interface Probe {
  readonly path: string;
  readonly port: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly secretEnv: readonly SecretEnv[];
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
  readonly securityContext: ContainerSecurityContext;
  readonly startupProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
}

/** A volume: exactly one of a claim, a ConfigMap, a memory-backed emptyDir or a disk-backed emptyDir. */
interface VolumeSpec {
  readonly name: string;
  readonly claimName?: string;
  readonly configMap?: string;
  readonly memoryGiB?: number;
  readonly scratchSize?: string;
}

/** A vLLM server's pod, independent of how it is rendered. */
export interface VllmPodSpec {
  /** Run to completion before the containers start: the cache marker check of a warmed cache. */
  readonly initContainers: readonly ContainerSpec[];
  /** The vLLM container first, then its sidecars. */
  readonly containers: readonly ContainerSpec[];
  /** The Hugging Face cache, the shared-memory volume, the gateway's configuration and the scratch volumes. */
  readonly volumes: readonly VolumeSpec[];
  /** The model's ServiceAccount. */
  readonly serviceAccountName: string;
  /** Non-root, seccomp RuntimeDefault, volumes owned by vLLM's group. */
  readonly securityContext: PodSecurityContext;
}

export function vllmPodSpec(inputs: VllmPodInputs): VllmPodSpec {
  const { model } = inputs;
  const requests = vllmContainerRequests(model.plan, model.spec.hiddenSize);
  const gpus = String(requests.gpus);
  const memoryLimit = vllmMemoryLimitMiB(requests.memoryMiB, model.plan.weightBytesPerGpu * requests.gpus);
  const health = (periodSeconds: number, failureThreshold: number): Probe => ({
    path: "/health",
    port: "http",
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 5,
  });
  const vllm: ContainerSpec = {
    name: "vllm",
    image: inputs.image,
    command: VLLM_COMMAND,
    args: [...vllmArgs(model).map(literalArgument), ...apiKeyArgs()],
    env: { ...VLLM_PRIVACY_ENV, ...VLLM_WRITABLE_ENV, ...(inputs.offline ? { HF_HUB_OFFLINE: "1" } : {}) },
    secretEnv: [...apiKeyEnv(inputs.apiKeys), ...(inputs.huggingFaceToken ? [inputs.huggingFaceToken] : [])],
    ports: [{ name: "http", containerPort: VLLM_PORT }],
    requests: { "nvidia.com/gpu": gpus, cpu: cpuQuantity(requests.cpuMilli), memory: memoryQuantity(requests.memoryMiB) },
    limits: { "nvidia.com/gpu": gpus, memory: memoryQuantity(memoryLimit) },
    mounts: [
      { name: "model-cache", mountPath: HF_CACHE_PATH },
      { name: "dshm", mountPath: "/dev/shm" },
      ...VLLM_SCRATCH_VOLUMES.map(({ name, mountPath }) => ({ name, mountPath })),
    ],
    securityContext: restrictedContainer(VLLM_UID),
    startupProbe: health(
      STARTUP_PROBE_PERIOD_SECONDS,
      Math.ceil(startupBudgetSeconds(model, { warmed: inputs.warmedCache }) / STARTUP_PROBE_PERIOD_SECONDS),
    ),
    readinessProbe: health(10, 3),
    livenessProbe: health(15, 4),
  };
  const gateway: ContainerSpec = {
    name: "api-gateway",
    image: GATEWAY_IMAGE,
    env: {},
    secretEnv: [],
    ports: [{ name: "api", containerPort: GATEWAY_PORT }],
    requests: { cpu: cpuQuantity(GATEWAY_REQUESTS.cpuMilli), memory: memoryQuantity(GATEWAY_REQUESTS.memoryMiB) },
    limits: { memory: memoryQuantity(GATEWAY_MEMORY_LIMIT_MIB) },
    mounts: [
      { name: "gateway-config", mountPath: "/etc/nginx/conf.d", readOnly: true },
      { name: GATEWAY_SCRATCH_VOLUME.name, mountPath: GATEWAY_SCRATCH_VOLUME.mountPath },
    ],
    securityContext: restrictedContainer(GATEWAY_UID),
    readinessProbe: { ...health(10, 3), port: "api" },
  };
  const check = markerCheckProgram(model);
  const markerCheck: ContainerSpec = {
    name: "cache-marker-check",
    image: inputs.image,
    command: check.command,
    env: { ...check.env, ...VLLM_WRITABLE_ENV },
    secretEnv: [],
    ports: [],
    requests: { cpu: cpuQuantity(MARKER_CHECK_REQUESTS.cpuMilli), memory: memoryQuantity(MARKER_CHECK_REQUESTS.memoryMiB) },
    limits: { memory: memoryQuantity(MARKER_CHECK_MEMORY_LIMIT_MIB) },
    mounts: [{ name: "model-cache", mountPath: HF_CACHE_PATH, readOnly: true }],
    securityContext: restrictedContainer(VLLM_UID),
  };
  return {
    initContainers: inputs.warmedCache ? [markerCheck] : [],
    containers: [vllm, gateway],
    volumes: [
      { name: "model-cache", claimName: inputs.cacheClaimName },
      { name: "dshm", memoryGiB: sharedMemoryGiB(requests.gpus) },
      { name: "gateway-config", configMap: inputs.gatewayConfigMap },
      ...[...VLLM_SCRATCH_VOLUMES, GATEWAY_SCRATCH_VOLUME].map(({ name, sizeLimit }) => ({ name, scratchSize: sizeLimit })),
    ],
    serviceAccountName: inputs.serviceAccountName,
    securityContext: VLLM_POD_SECURITY,
  };
}

/** `--api-key <current> <next>`, the values expanded by the kubelet from the Secret-backed variables. */
function apiKeyArgs(): string[] {
  return ["--api-key", `$(${API_KEY_ENV.current})`, `$(${API_KEY_ENV.next})`];
}

function apiKeyEnv(keys: ApiKeyEntries): SecretEnv[] {
  return [
    { name: API_KEY_ENV.current, secretName: keys.secretName, secretKey: keys.currentKey },
    { name: API_KEY_ENV.next, secretName: keys.secretName, secretKey: keys.nextKey },
  ];
}

/** Kubernetes API field shapes of the parts of a pod spec the kit sets. */
interface KubernetesProbe {
  httpGet: { path: string; port: string };
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}

export interface KubernetesContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext: ContainerSecurityContext;
  startupProbe?: KubernetesProbe;
  readinessProbe?: KubernetesProbe;
  livenessProbe?: KubernetesProbe;
}

interface KubernetesVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
  emptyDir?: { medium?: string; sizeLimit: string };
}

/** A pod spec in the Kubernetes API's field names; plain arrays, as the provider's block types take them. */
export interface KubernetesPodSpec {
  /** Labels of the nodes the pod may run on. */
  nodeSelector: Record<string, string>;
  /** Taints the pod tolerates (the GPU nodes'). */
  tolerations: Placement["tolerations"];
  /** Init containers, absent when there are none. */
  initContainers?: KubernetesContainer[];
  /** The vLLM container first, then its sidecars. */
  containers: KubernetesContainer[];
  /** The pod's volumes. */
  volumes: KubernetesVolume[];
  /** The model's ServiceAccount. */
  serviceAccountName: string;
  /** No API token in the pod: nothing in it talks to the Kubernetes API. */
  automountServiceAccountToken: false;
  /** Pod-level security settings. */
  securityContext: PodSecurityContext;
}

/** Raw Kubernetes pod spec — for kubernetes_manifest objects (LeaderWorkerSet). */
export function toKubernetesPodSpec(pod: VllmPodSpec, placement: Placement): KubernetesPodSpec {
  const probe = (p?: Probe): KubernetesProbe | undefined =>
    p && {
      httpGet: { path: p.path, port: p.port },
      periodSeconds: p.periodSeconds,
      failureThreshold: p.failureThreshold,
      timeoutSeconds: p.timeoutSeconds,
    };
  const container = (c: ContainerSpec): KubernetesContainer => ({
    name: c.name,
    image: c.image,
    command: c.command && [...c.command],
    args: c.args && [...c.args],
    env: [
      ...Object.entries(c.env).map(([name, value]) => ({ name, value })),
      ...c.secretEnv.map((s) => ({ name: s.name, valueFrom: { secretKeyRef: { name: s.secretName, key: s.secretKey } } })),
    ],
    ports: c.ports.length > 0 ? [...c.ports] : undefined,
    resources: { requests: { ...c.requests }, limits: { ...c.limits } },
    volumeMounts: [...c.mounts],
    securityContext: c.securityContext,
    startupProbe: probe(c.startupProbe),
    readinessProbe: probe(c.readinessProbe),
    livenessProbe: probe(c.livenessProbe),
  });
  return {
    nodeSelector: placement.nodeSelector,
    tolerations: placement.tolerations,
    ...(pod.initContainers.length > 0 && { initContainers: pod.initContainers.map(container) }),
    containers: pod.containers.map(container),
    volumes: pod.volumes.map((v) => ({
      name: v.name,
      ...(v.claimName && { persistentVolumeClaim: { claimName: v.claimName } }),
      ...(v.configMap && { configMap: { name: v.configMap } }),
      ...(v.memoryGiB && { emptyDir: { medium: "Memory", sizeLimit: `${v.memoryGiB}Gi` } }),
      ...(v.scratchSize && { emptyDir: { sizeLimit: v.scratchSize } }),
    })),
    serviceAccountName: pod.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: pod.securityContext,
  };
}

/**
 * The kubernetes provider's block shapes — for kubernetes_deployment_v1. They mirror the
 * Kubernetes fields except that list blocks are singular (`container`, `port`, `volume`, …).
 */
export function toProviderPodSpec(pod: VllmPodSpec, placement: Placement): DeploymentV1SpecTemplateSpec {
  const spec = toKubernetesPodSpec(pod, placement);
  return {
    nodeSelector: spec.nodeSelector,
    toleration: spec.tolerations,
    initContainer: spec.initContainers?.map(toProviderContainer),
    container: spec.containers.map(toProviderContainer),
    volume: spec.volumes,
    serviceAccountName: spec.serviceAccountName,
    automountServiceAccountToken: spec.automountServiceAccountToken,
    securityContext: { ...spec.securityContext, fsGroup: String(spec.securityContext.fsGroup) },
  };
}

/** A container in the provider's block shapes: singular list blocks, ids as strings. */
export function toProviderContainer({ ports, volumeMounts, securityContext, ...container }: KubernetesContainer) {
  return {
    ...container,
    port: ports,
    volumeMount: volumeMounts,
    // The provider types user and group ids as strings.
    securityContext: {
      ...securityContext,
      runAsUser: String(securityContext.runAsUser),
      runAsGroup: String(securityContext.runAsGroup),
    },
  };
}

/**
 * An argument Kubernetes passes on as written. The kubelet expands `$(NAME)` in args from the
 * container's environment, so an extraArgs entry such as `--x=$(AICOCKPIT_API_KEY)` would put
 * the API key into vLLM's arguments (and its logs); `$$` is Kubernetes' escape for a literal `$`.
 * Only the kit's own key references (apiKeyArgs) are left to expand.
 */
export function literalArgument(argument: string): string {
  return argument.replaceAll("$", "$$$$");
}
