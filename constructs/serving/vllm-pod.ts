/**
 * The pod of one vLLM server — the vLLM container and the API gateway sidecar — described
 * once and rendered both as the kubernetes provider's Deployment blocks and as a raw
 * Kubernetes pod template (for LeaderWorkerSet, which the provider has no resource for).
 */
import type { PlannedModel } from "../../core/load-environment";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { GATEWAY_IMAGE } from "../../core/pins";
import {
  HF_CACHE_PATH,
  STARTUP_PROBE_PERIOD_SECONDS,
  VLLM_COMMAND,
  VLLM_PRIVACY_ENV,
  gpusPerPod,
  hostMemoryGiB,
  sharedMemoryGiB,
  startupBudgetSeconds,
  vllmArgs,
} from "../../core/vllm-server-spec";

export interface SecretEnv {
  name: string;
  secretName: string;
  secretKey: string;
}

export interface PodInputs {
  model: PlannedModel;
  image: string;
  apiKey: SecretEnv;
  huggingFaceToken?: SecretEnv;
  cacheClaimName: string;
  gatewayConfigMap: string;
}

interface Probe {
  path: string;
  port: string;
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
}

interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  secretEnv: SecretEnv[];
  ports: { name: string; containerPort: number }[];
  requests: Record<string, string>;
  limits: Record<string, string>;
  mounts: { name: string; mountPath: string; readOnly?: boolean }[];
  startupProbe?: Probe;
  readinessProbe: Probe;
  livenessProbe?: Probe;
}

interface PodSpec {
  containers: ContainerSpec[];
  volumes: { name: string; claimName?: string; configMap?: string; memoryGiB?: number }[];
}

export function vllmPodSpec(inputs: PodInputs): PodSpec {
  const { model } = inputs;
  const gpus = String(gpusPerPod(model));
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
    args: vllmArgs(model),
    env: VLLM_PRIVACY_ENV,
    secretEnv: [inputs.apiKey, ...(inputs.huggingFaceToken ? [inputs.huggingFaceToken] : [])],
    ports: [{ name: "http", containerPort: VLLM_PORT }],
    requests: { "nvidia.com/gpu": gpus, cpu: String(2 * Number(gpus)), memory: `${hostMemoryGiB(model)}Gi` },
    limits: { "nvidia.com/gpu": gpus, memory: `${hostMemoryGiB(model) + 8}Gi` },
    mounts: [
      { name: "model-cache", mountPath: HF_CACHE_PATH },
      { name: "dshm", mountPath: "/dev/shm" },
    ],
    startupProbe: health(
      STARTUP_PROBE_PERIOD_SECONDS,
      Math.ceil(startupBudgetSeconds(model) / STARTUP_PROBE_PERIOD_SECONDS),
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
    requests: { cpu: "100m", memory: "64Mi" },
    limits: { memory: "256Mi" },
    mounts: [{ name: "gateway-config", mountPath: "/etc/nginx/conf.d", readOnly: true }],
    readinessProbe: { ...health(10, 3), port: "api" },
  };
  return {
    containers: [vllm, gateway],
    volumes: [
      { name: "model-cache", claimName: inputs.cacheClaimName },
      { name: "dshm", memoryGiB: sharedMemoryGiB(model) },
      { name: "gateway-config", configMap: inputs.gatewayConfigMap },
    ],
  };
}

/** List field names differ: Kubernetes says `containers`, the provider's blocks say `container`. */
const KUBERNETES_LIST_NAMES = { tolerations: "tolerations", containers: "containers", ports: "ports", volumeMounts: "volumeMounts", volumes: "volumes" };
const PROVIDER_LIST_NAMES = { tolerations: "toleration", containers: "container", ports: "port", volumeMounts: "volumeMount", volumes: "volume" };

/** Raw Kubernetes pod spec — for kubernetes_manifest objects (LeaderWorkerSet). */
export function toKubernetesPodSpec(pod: PodSpec, placement: Placement): Record<string, unknown> {
  return renderPodSpec(pod, placement, KUBERNETES_LIST_NAMES);
}

/** The kubernetes provider's block shapes — for kubernetes_deployment_v1. */
export function toProviderPodSpec(pod: PodSpec, placement: Placement): Record<string, unknown> {
  return renderPodSpec(pod, placement, PROVIDER_LIST_NAMES);
}

function renderPodSpec(pod: PodSpec, placement: Placement, names: typeof KUBERNETES_LIST_NAMES): Record<string, unknown> {
  const probe = (p?: Probe) =>
    p && {
      httpGet: { path: p.path, port: p.port },
      periodSeconds: p.periodSeconds,
      failureThreshold: p.failureThreshold,
      timeoutSeconds: p.timeoutSeconds,
    };
  return {
    nodeSelector: placement.nodeSelector,
    [names.tolerations]: placement.tolerations,
    [names.containers]: pod.containers.map((c) => ({
      name: c.name,
      image: c.image,
      command: c.command,
      args: c.args,
      env: [
        ...Object.entries(c.env).map(([name, value]) => ({ name, value })),
        ...c.secretEnv.map((s) => ({ name: s.name, valueFrom: { secretKeyRef: { name: s.secretName, key: s.secretKey } } })),
      ],
      [names.ports]: c.ports,
      resources: { requests: c.requests, limits: c.limits },
      [names.volumeMounts]: c.mounts,
      startupProbe: probe(c.startupProbe),
      readinessProbe: probe(c.readinessProbe),
      livenessProbe: probe(c.livenessProbe),
    })),
    [names.volumes]: pod.volumes.map((v) => ({
      name: v.name,
      ...(v.claimName && { persistentVolumeClaim: { claimName: v.claimName } }),
      ...(v.configMap && { configMap: { name: v.configMap } }),
      ...(v.memoryGiB && { emptyDir: { medium: "Memory", sizeLimit: `${v.memoryGiB}Gi` } }),
    })),
  };
}

export interface Placement {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: string; value?: string; effect?: string }[];
}
