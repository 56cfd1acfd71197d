/**
 * What each pod the kit creates asks the scheduler for — declared once, rendered by the
 * serving constructs and checked against the nodes at synth (core/validation/scheduling.ts).
 * The derivation of the vLLM figures is in docs/planner.md ("Host CPU and memory of a vLLM pod").
 */
import type { GpuPlan } from "./planning/planner";

/** CPU, memory and GPUs one container (or a whole pod, summed) requests. */
export interface ResourceRequests {
  cpuMilli: number;
  memoryMiB: number;
  gpus: number;
}

export const NO_REQUESTS: ResourceRequests = { cpuMilli: 0, memoryMiB: 0, gpus: 0 };

export function addRequests(a: ResourceRequests, b: ResourceRequests): ResourceRequests {
  return { cpuMilli: a.cpuMilli + b.cpuMilli, memoryMiB: a.memoryMiB + b.memoryMiB, gpus: a.gpus + b.gpus };
}

const GIB_IN_MIB = 1024;

/** GPUs one vLLM pod asks for: a whole replica on one node, or one node's share of a multi-node replica. */
export function gpusPerPod(plan: Pick<GpuPlan, "gpusPerReplica" | "nodesPerReplica">): number {
  return plan.gpusPerReplica / plan.nodesPerReplica;
}

/**
 * vLLM's documented minimum is 2 + N physical cores for N GPUs (one API server, one engine
 * core, one worker per GPU), i.e. 2 × (2 + N) vCPUs where a core runs two hyperthreads, as on
 * every GPU instance the kit builds. Source: vLLM docs/configuration/optimization.md, "CPU
 * Resources for GPU Deployments" (main @ 455edc02, 2026-08-17): fewer cores "will cause
 * contention and significantly degrade throughput and latency".
 */
export function vllmCpuMilli(gpus: number): number {
  return 2 * (2 + gpus) * 1000;
}

/** Python, torch and the tokenizer of the API server and engine core processes. */
export const VLLM_SERVER_PROCESSES_MIB = 4 * GIB_IN_MIB;
/** Per GPU worker process: torch, the CUDA runtime's host side, NCCL's host buffers. */
export const VLLM_WORKER_PROCESS_MIB = 2 * GIB_IN_MIB;
/**
 * vLLM's default loader memory-maps the safetensors files and materializes one tensor at a
 * time (vllm/model_executor/model_loader/weight_utils.py `safetensors_weights_iterator`,
 * `f.get_tensor(name)`, main @ 455edc02); the mapped pages are reclaimable page cache, so the
 * weights need no request of their own. The largest tensor of a dense decoder is its token
 * embedding or LM head: vocabulary × hidden size at 16 bits. Vocabularies up to 2^18 tokens are
 * budgeted (Qwen2.5's, the catalog's largest, has 152,064).
 */
export const LOADING_VOCABULARY_BOUND = 2 ** 18;

/** The largest tensor a worker materializes while loading, in MiB. */
export function loadingTensorMiB(hiddenSize: number): number {
  return Math.ceil((LOADING_VOCABULARY_BOUND * hiddenSize * 2) / 1024 ** 2);
}

/** /dev/shm for NCCL between the GPUs of a pod; 1 GiB per GPU is plenty, Docker's 64 MiB is not. */
export function sharedMemoryGiB(gpus: number): number {
  return Math.max(2, gpus);
}

/**
 * Host memory a vLLM pod requests: its processes, the tensor each worker loads at a time, and
 * the memory-backed /dev/shm (tmpfs pages count against the pod's memory).
 */
export function vllmMemoryMiB(gpus: number, hiddenSize: number): number {
  const perWorker = VLLM_WORKER_PROCESS_MIB + loadingTensorMiB(hiddenSize);
  return Math.ceil((VLLM_SERVER_PROCESSES_MIB + gpus * perWorker + sharedMemoryGiB(gpus) * GIB_IN_MIB) / GIB_IN_MIB) * GIB_IN_MIB;
}

/** The vLLM container of a pod serving `plan` for a model of `hiddenSize`. */
export function vllmContainerRequests(plan: Pick<GpuPlan, "gpusPerReplica" | "nodesPerReplica">, hiddenSize: number): ResourceRequests {
  const gpus = gpusPerPod(plan);
  return { cpuMilli: vllmCpuMilli(gpus), memoryMiB: vllmMemoryMiB(gpus, hiddenSize), gpus };
}

/**
 * The memory limit of the vLLM container: its request plus room for the weights' page cache,
 * so that loading reads each checkpoint file once instead of evicting and re-reading it.
 */
export function vllmMemoryLimitMiB(requestMiB: number, weightBytesPerPod: number): number {
  return requestMiB + Math.ceil(weightBytesPerPod / 1024 ** 3) * GIB_IN_MIB;
}

/** The nginx API gateway sidecar: a few connections per client, no buffering. */
export const GATEWAY_REQUESTS: ResourceRequests = { cpuMilli: 100, memoryMiB: 64, gpus: 0 };
export const GATEWAY_MEMORY_LIMIT_MIB = 256;

/** What one router pod's router container requests; the router is a Rust proxy, light next to the GPUs it fronts. */
export const ROUTER_REQUESTS: ResourceRequests = { cpuMilli: 500, memoryMiB: 512, gpus: 0 };
/** Room for the cache-aware policy's prefix tree (`--max-tree-size`) under load. */
export const ROUTER_MEMORY_LIMIT_MIB = 2048;

/**
 * The model cache warm-up Job's pod (core/model-cache-warmup.ts): one Python process that
 * downloads (the Xet client's parallel fetches buffer chunks in memory) and then hashes file by
 * file in 16 MiB reads. Its page cache is reclaimable, so the limit only bounds a runaway.
 */
export const WARMUP_REQUESTS: ResourceRequests = { cpuMilli: 1000, memoryMiB: 2 * GIB_IN_MIB, gpus: 0 };
export const WARMUP_MEMORY_LIMIT_MIB = 8 * GIB_IN_MIB;

/** The vLLM pod's init container that checks the cache's completion marker: one short python3. */
export const MARKER_CHECK_REQUESTS: ResourceRequests = { cpuMilli: 100, memoryMiB: 128, gpus: 0 };
export const MARKER_CHECK_MEMORY_LIMIT_MIB = 256;

/** Kubernetes quantity of a CPU request. */
export function cpuQuantity(cpuMilli: number): string {
  return cpuMilli % 1000 === 0 ? String(cpuMilli / 1000) : `${cpuMilli}m`;
}

/** Kubernetes quantity of a memory request. */
export function memoryQuantity(memoryMiB: number): string {
  return memoryMiB % GIB_IN_MIB === 0 ? `${memoryMiB / GIB_IN_MIB}Gi` : `${memoryMiB}Mi`;
}

/**
 * The DCGM exporter DaemonSet on every GPU node: the chart's default requests, which the kit
 * keeps (NVIDIA/dcgm-exporter `deployment/values.yaml` @ 7ad58324, chart 4.8.3, 2026-07-14).
 */
export const DCGM_EXPORTER_REQUESTS: ResourceRequests = { cpuMilli: 100, memoryMiB: 128, gpus: 0 };
