/**
 * How many replicas a model runs: a fixed `replicas`, or the range its `autoscaling` lets KEDA
 * scale in. Pure. Capacity, scheduling, rollout and routing read the peak (every replica the
 * pool may have to hold at once); the Deployment starts at the initial count.
 */
import type { PlannedModel } from "../environment";
import { MAX_COOLDOWN_SECONDS } from "../schema/autoscaling";
import type { ModelConfig } from "../schema/model";
import { startupBudgetSeconds } from "../vllm-server-spec";

type ReplicaFields = Pick<ModelConfig, "replicas" | "autoscaling">;

/** Replicas the model may run at once: `autoscaling.maxReplicas`, else `replicas`. */
export function peakReplicas(config: ReplicaFields): number {
  return config.autoscaling?.maxReplicas ?? config.replicas;
}

/** Replicas the Deployment is created with: `autoscaling.minReplicas`, else `replicas`. KEDA owns the count afterwards. */
export function initialReplicas(config: ReplicaFields): number {
  return config.autoscaling?.minReplicas ?? config.replicas;
}

/**
 * Seconds demand must stay low before a replica goes: the file's `cooldownSeconds`, else the
 * model's startup budget (a replica removed takes that long to come back: loading only, when
 * the warm-up Job keeps the cache filled), within what the HPA's stabilization window allows.
 */
export function cooldownSeconds(model: Pick<PlannedModel, "config" | "plan">, cache: { warmed: boolean } = { warmed: false }): number {
  return model.config.autoscaling?.cooldownSeconds ?? Math.min(startupBudgetSeconds(model, cache), MAX_COOLDOWN_SECONDS);
}

/** Nodes a pool may grow to: on aws the node group's `maxNodes` (the cluster autoscaler's bound), else `nodes`. */
export function poolPeakNodes(pool: { nodes: number; maxNodes?: number }): number {
  return Math.max(pool.maxNodes ?? pool.nodes, pool.nodes);
}

/** Whether the kit installs its pinned KEDA release: a model autoscales and the file does not name an existing install. */
export function installsKeda(config: { models: readonly Pick<ModelConfig, "autoscaling">[]; autoscaling: { keda: string } }): boolean {
  return config.models.some((model) => model.autoscaling) && config.autoscaling.keda === "install";
}

/** Whether an autoscaled model's replicas span nodes, so KEDA scales a LeaderWorkerSet. */
export function scalesLeaderWorkerSets(models: readonly Pick<PlannedModel, "config" | "plan">[]): boolean {
  return models.some((model) => model.config.autoscaling !== undefined && model.plan.nodesPerReplica > 1);
}
