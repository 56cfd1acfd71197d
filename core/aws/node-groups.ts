/**
 * The managed node groups of an AWS environment: one small CPU group for the system and one
 * GPU group per pool, tainted so only pods that tolerate GPUs (vLLM) land on them.
 */
import type { AwsGpuPool } from "../environment";
import type { AwsTarget } from "../schema/target";

export interface Taint {
  key: string;
  value: string;
  effect: "NoSchedule";
}

/** Keeps everything but GPU workloads off the expensive nodes. */
export const GPU_TAINT: Taint = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" };

/** Label the NVIDIA device plugin chart's default node affinity selects on (no node-feature-discovery needed). */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present";

/** OS, kubelet and the vLLM image (~20 GiB unpacked) twice over during an image upgrade, plus torch.compile caches. */
export const GPU_ROOT_VOLUME_GIB = 100;
export const SYSTEM_ROOT_VOLUME_GIB = 50;

export interface NodeGroupPlan {
  /** Node group name, unique in the cluster. */
  name: string;
  instanceType: string;
  /** EKS-optimized Amazon Linux 2023; the NVIDIA variant ships the driver and container toolkit. */
  amiType: "AL2023_x86_64_STANDARD" | "AL2023_x86_64_NVIDIA";
  desired: number;
  min: number;
  max: number;
  rootVolumeGiB: number;
  labels: Record<string, string>;
  taints: Taint[];
  /**
   * Index of the one AZ (private subnet) the group runs in; absent: every AZ of the environment.
   * GPU groups stay in one AZ so a replacement node finds the pool's EBS model caches.
   */
  zoneIndex?: number;
}

export function systemNodeGroupPlan(target: AwsTarget): NodeGroupPlan {
  const { instanceType, nodes } = target.systemNodes;
  return {
    name: "system",
    instanceType,
    amiType: "AL2023_x86_64_STANDARD",
    desired: nodes,
    min: nodes,
    max: nodes,
    rootVolumeGiB: SYSTEM_ROOT_VOLUME_GIB,
    labels: { "aicockpit.dev/role": "system" },
    taints: [],
  };
}

export function gpuNodeGroupPlans(pools: readonly AwsGpuPool[]): NodeGroupPlan[] {
  return pools.map(gpuNodeGroupPlan);
}

/** Whether the cluster autoscaler resizes the group: its bounds leave it room (only pools with an autoscaled model may). */
export function isAutoscaledGroup(plan: Pick<NodeGroupPlan, "min" | "max">): boolean {
  return plan.min !== plan.max;
}

function gpuNodeGroupPlan(pool: AwsGpuPool): NodeGroupPlan {
  return {
    name: `gpu-${pool.name}`.slice(0, 63),
    instanceType: pool.instanceType.id,
    amiType: "AL2023_x86_64_NVIDIA",
    desired: pool.nodes,
    min: pool.minNodes ?? pool.nodes,
    max: pool.maxNodes ?? pool.nodes,
    rootVolumeGiB: pool.rootVolumeGiB ?? GPU_ROOT_VOLUME_GIB,
    // The pool's node selector (which includes the kit's pool label) is what the vLLM pods select on.
    labels: { ...pool.nodeSelector, [GPU_PRESENT_LABEL]: "true" },
    taints: [GPU_TAINT],
    zoneIndex: pool.zoneIndex,
  };
}
