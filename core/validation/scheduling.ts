/**
 * Every pod the kit creates must fit a node of its pool: its CPU, memory and GPU requests
 * against what the node offers pods (allocatable, less the DaemonSets every GPU node runs),
 * and all of a pool's pods at once across its nodes. A pod that fits no node stays Pending
 * forever while `apply` succeeds; here it is refused with the pool, the figures and the fix.
 *
 * Node sizes: on aws from the instance type, as the EKS AL2023 AMI reserves for the kubelet
 * (core/aws/node-allocatable.ts); on an existing cluster from the pool's `nodeAllocatable`
 * (not checked when the file does not declare it).
 */
import { instancesWithGpu, type AwsGpuInstanceType } from "../catalog/aws-instances";
import { EKS_GPU_NODE_DAEMONSETS, eksNodeAllocatable, type NodeAllocatable } from "../aws/node-allocatable";
import type { ConfigIssue } from "../errors";
import {
  DCGM_EXPORTER_REQUESTS,
  GATEWAY_REQUESTS,
  NO_REQUESTS,
  WARMUP_REQUESTS,
  addRequests,
  vllmContainerRequests,
  type ResourceRequests,
} from "../pod-resources";
import type { EnvironmentConfig } from "../schema";
import { peakReplicas, poolPeakNodes } from "../scale/autoscaling";
import type { ResolvedGpuPool } from "./gpu-pools";
import { cacheWarmed } from "../model-cache-warmup";
import type { ModelOnPool } from "./planning";

/** One pod the kit creates on a GPU pool, with its containers' requests. */
export interface KitPod {
  /** What the pod is, for messages: "vLLM pod of qwen-coder". */
  what: string;
  /** Position of the model in `models`. */
  modelIndex: number;
  /** The containers' requests, by container name. */
  containers: Readonly<Record<string, ResourceRequests>>;
  /** How many such pods the pool runs. */
  count: number;
}

/** A pool's node as the check sees it. */
interface PoolNode {
  /** What one node offers pods. */
  allocatable: NodeAllocatable;
  /** What DaemonSets take of it on every node. */
  daemonSets: ResourceRequests;
  /** "a g6.xlarge node" or "a node". */
  described: string;
  /** The field whose value decides the node's size. */
  field: string;
  instance?: AwsGpuInstanceType;
}

export function schedulingIssues(
  file: string,
  config: EnvironmentConfig,
  pools: readonly ResolvedGpuPool[],
  models: readonly ModelOnPool[],
): ConfigIssue[] {
  return pools.flatMap((resolved) => {
    const node = poolNode(config, resolved);
    if (!node) return [];
    const warmed = cacheWarmed(config);
    const pods = models.filter((m) => m.pool.index === resolved.index).flatMap((m) => kitPods(m, warmed));
    const oversized = pods.flatMap((pod) => podFitIssues(file, resolved, node, pod, models));
    return oversized.length > 0 ? oversized : packingIssues(file, resolved, node, pods);
  });
}

/**
 * The pods a model runs: one per replica, or a leader and workers per replica spanning nodes;
 * with a warmed cache also its warm-up Job's pod, which runs on the same pool (beside the old
 * replicas when a model change reruns it). The vLLM pods' init container runs before their
 * containers, so a pod asks for the larger of the two (Kubernetes "Resource sharing within
 * containers", init containers) — the containers' sum, which is always larger.
 */
export function kitPods(model: Pick<ModelOnPool, "index" | "config" | "spec" | "plan">, warmed: boolean): KitPod[] {
  const vllm = vllmContainerRequests(model.plan, model.spec.hiddenSize);
  const name = model.config.servedName;
  // Every replica the model may run: autoscaled models at their maximum.
  const replicas = peakReplicas(model.config);
  const warmup: KitPod[] = warmed
    ? [{ what: `cache warm-up Job pod of ${name}`, modelIndex: model.index, containers: { warmup: WARMUP_REQUESTS }, count: 1 }]
    : [];
  if (model.plan.nodesPerReplica === 1) {
    return [
      { what: `vLLM pod of ${name}`, modelIndex: model.index, containers: { vllm, "api-gateway": GATEWAY_REQUESTS }, count: replicas },
      ...warmup,
    ];
  }
  return [
    { what: `vLLM leader pod of ${name}`, modelIndex: model.index, containers: { vllm, "api-gateway": GATEWAY_REQUESTS }, count: replicas },
    {
      what: `vLLM worker pod of ${name}`,
      modelIndex: model.index,
      containers: { vllm },
      count: replicas * (model.plan.nodesPerReplica - 1),
    },
    ...warmup,
  ];
}

function poolNode(config: EnvironmentConfig, { index, pool, instance }: ResolvedGpuPool): PoolNode | undefined {
  const monitoring = config.monitoring.enabled && config.monitoring.dcgmExporter.enabled ? DCGM_EXPORTER_REQUESTS : NO_REQUESTS;
  if (config.target.kind === "aws") {
    if (!instance) return undefined;
    return {
      allocatable: eksNodeAllocatable(instance),
      daemonSets: addRequests(EKS_GPU_NODE_DAEMONSETS, monitoring),
      described: `a ${instance.id} node`,
      field: `gpuPools[${index}].instanceType`,
      instance,
    };
  }
  if (!pool.nodeAllocatable) return undefined;
  return {
    allocatable: { cpuMilli: Math.round(pool.nodeAllocatable.cpu * 1000), memoryMiB: Math.round(pool.nodeAllocatable.memoryGiB * 1024) },
    daemonSets: monitoring,
    described: "a node",
    field: `gpuPools[${index}].nodeAllocatable`,
  };
}

function podRequests(pod: KitPod): ResourceRequests {
  return Object.values(pod.containers).reduce(addRequests, NO_REQUESTS);
}

/** What a node has left for the kit's pods once its DaemonSets run. */
function free(node: PoolNode): ResourceRequests {
  return {
    cpuMilli: node.allocatable.cpuMilli - node.daemonSets.cpuMilli,
    memoryMiB: node.allocatable.memoryMiB - node.daemonSets.memoryMiB,
    gpus: Number.POSITIVE_INFINITY,
  };
}

function podFitIssues(file: string, { pool }: ResolvedGpuPool, node: PoolNode, pod: KitPod, models: readonly ModelOnPool[]): ConfigIssue[] {
  const wanted = podRequests(pod);
  const room = free(node);
  const short = [
    wanted.cpuMilli > room.cpuMilli ? `CPU (${cpu(wanted.cpuMilli)} > ${cpu(room.cpuMilli)})` : undefined,
    wanted.memoryMiB > room.memoryMiB ? `memory (${memory(wanted.memoryMiB)} > ${memory(room.memoryMiB)})` : undefined,
  ].filter((s): s is string => s !== undefined);
  if (short.length === 0) return [];
  const model = models.find((m) => m.index === pod.modelIndex);
  return [
    {
      file,
      field: node.field,
      message:
        `the ${pod.what} requests ${describe(wanted)} (${containerList(pod)}), but ${node.described} of pool "${pool.name}" ` +
        `offers pods ${cpu(node.allocatable.cpuMilli)} and ${memory(node.allocatable.memoryMiB)}${daemonSetNote(node)}: ` +
        `short of ${short.join(" and ")}; the pod would stay Pending`,
      fix: podFix(node, wanted, model),
    },
  ];
}

function podFix(node: PoolNode, wanted: ResourceRequests, model: ModelOnPool | undefined): string {
  const why =
    "vLLM needs 2 × (2 + GPUs) vCPUs (its documented minimum) and host memory for its processes, the tensor it loads at a time " +
    "and /dev/shm (docs/planner.md); lowering them is not safe";
  const fewerGpus =
    model && wanted.gpus > 1
      ? `, or fewer GPUs per pod (tensorParallel × pipelineParallel of ${model.config.servedName}, if the model still fits)`
      : "";
  if (node.instance) {
    const bigger = instancesWithGpu(node.instance.gpu, wanted.gpus)
      .map((instance) => ({ instance, room: free({ ...node, allocatable: eksNodeAllocatable(instance) }) }))
      .filter(({ room }) => room.cpuMilli >= wanted.cpuMilli && room.memoryMiB >= wanted.memoryMiB)
      .slice(0, 3)
      .map(({ instance, room }) => `${instance.id} (${cpu(room.cpuMilli)}, ${memory(room.memoryMiB)} free)`);
    return `use a bigger instance type${bigger.length > 0 ? `, e.g. ${bigger.join(", ")}` : ""}${fewerGpus}; ${why}`;
  }
  const needed = addRequests(wanted, node.daemonSets);
  return `use nodes with at least ${cpu(needed.cpuMilli)} and ${memory(needed.memoryMiB)} allocatable (and declare them here)${fewerGpus}; ${why}`;
}

/**
 * All of a pool's pods at once on its nodes, placed largest first, each on the first node with
 * room. Too few GPUs in all is the capacity stage's finding (pool-capacity.ts), not repeated here.
 */
function packingIssues(file: string, { index, pool }: ResolvedGpuPool, node: PoolNode, pods: readonly KitPod[]): ConfigIssue[] {
  const peakNodes = poolPeakNodes(pool);
  const nodes = Array.from({ length: peakNodes }, () => ({ ...free(node), gpus: pool.gpusPerNode }));
  const queue = pods
    .flatMap((pod) => Array.from({ length: pod.count }, () => ({ pod, wanted: podRequests(pod) })))
    .sort((a, b) => b.wanted.gpus - a.wanted.gpus || b.wanted.memoryMiB - a.wanted.memoryMiB || b.wanted.cpuMilli - a.wanted.cpuMilli);
  if (queue.reduce((sum, item) => sum + item.wanted.gpus, 0) > peakNodes * pool.gpusPerNode) return [];
  for (const { pod, wanted } of queue) {
    const target = nodes.find((n) => n.gpus >= wanted.gpus && n.cpuMilli >= wanted.cpuMilli && n.memoryMiB >= wanted.memoryMiB);
    if (!target) {
      const total = queue.reduce((sum, item) => addRequests(sum, item.wanted), NO_REQUESTS);
      return [
        {
          file,
          field: `gpuPools[${index}].nodes`,
          message:
            `the pods of pool "${pool.name}" request ${describe(total)} in all; its ${peakNodes} node(s) ` +
            `(${node.described.replace(/^an? /, "")} offers ${cpu(free(node).cpuMilli)} and ${memory(free(node).memoryMiB)} to them) ` +
            `cannot hold them at once: no node has room left for the ${pod.what}`,
          fix: `raise nodes, use a bigger node, or lower the replicas of the pool's models`,
        },
      ];
    }
    target.gpus -= wanted.gpus;
    target.cpuMilli -= wanted.cpuMilli;
    target.memoryMiB -= wanted.memoryMiB;
  }
  return [];
}

function daemonSetNote(node: PoolNode): string {
  const { cpuMilli, memoryMiB } = node.daemonSets;
  if (cpuMilli === 0 && memoryMiB === 0) return "";
  return `, of which its DaemonSets take ${cpu(cpuMilli)} and ${memory(memoryMiB)}`;
}

function containerList(pod: KitPod): string {
  return Object.entries(pod.containers)
    .map(([name, requests]) => `${name} ${cpu(requests.cpuMilli)}/${memory(requests.memoryMiB)}`)
    .join(" + ");
}

function describe(requests: ResourceRequests): string {
  return `${cpu(requests.cpuMilli)}, ${memory(requests.memoryMiB)} and ${requests.gpus} GPU(s)`;
}

/** `1.5 CPU`, as messages state CPU. */
export function cpu(milli: number): string {
  return `${Math.round(milli) / 1000} CPU`;
}

/** `512 MiB` or `7.5 GiB`, as messages state memory. */
export function memory(mib: number): string {
  return mib >= 1024 ? `${Math.round((mib / 1024) * 10) / 10} GiB` : `${mib} MiB`;
}
