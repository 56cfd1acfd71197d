/**
 * How a model change rolls out. A new replica can start before an old one stops only where a
 * node of the pool has GPUs to spare for it; otherwise the old pods make room first, and a
 * single replica means the endpoint is down until the new one has loaded. Pure.
 */
import type { PlannedModel } from "../environment";
import { startupBudgetSeconds } from "../vllm-server-spec";
import { initialReplicas, peakReplicas } from "./autoscaling";

/**
 * `surge`: one new replica starts first, none stops before it is ready (maxSurge 1, maxUnavailable 0);
 * `one-at-a-time`: an old replica stops, then its replacement starts (maxSurge 0, maxUnavailable 1);
 * `recreate`: the only replica stops, the endpoint is down for up to `downSeconds`.
 */
export type Rollout = { kind: "surge" } | { kind: "one-at-a-time" } | { kind: "recreate"; downSeconds: number; reason: string };

/**
 * GPUs left free on each node of a pool once every replica of its models is placed, largest
 * first on the emptiest node (the scheduler's spreading, approximated; replicas spanning nodes
 * take whole nodes).
 */
function freeGpusPerNode(pool: PlannedModel["pool"], onPool: readonly PlannedModel[]): number[] {
  const free = Array.from({ length: pool.nodes }, () => pool.gpusPerNode);
  const pods = onPool
    .flatMap((m) =>
      Array.from({ length: peakReplicas(m.config) * m.plan.nodesPerReplica }, () => m.plan.gpusPerReplica / m.plan.nodesPerReplica),
    )
    .sort((a, b) => b - a);
  for (const gpus of pods) {
    const node = free.reduce((best, room, index) => (room >= gpus && (best < 0 || room > free[best]) ? index : best), -1);
    if (node >= 0) free[node] -= gpus;
  }
  return free;
}

/** The rollout of each model, in the environment's order. */
export function rollouts(
  models: readonly PlannedModel[],
  cacheAccessMode: "ReadWriteOnce" | "ReadWriteMany",
  cache: { warmed: boolean } = { warmed: false },
): Rollout[] {
  return models.map((model) => {
    const onPool = models.filter((m) => m.pool.name === model.pool.name);
    const free = freeGpusPerNode(model.pool, onPool);
    // A ReadWriteOnce cache attaches to one node: the new pod must land beside the old ones.
    const cacheAllows = cacheAccessMode === "ReadWriteMany" || model.pool.nodes === 1;
    const roomForOne = model.plan.nodesPerReplica === 1 && free.some((gpus) => gpus >= model.plan.gpusPerReplica);
    // An autoscaled model is judged at its maximum: the strategy must hold however many replicas KEDA runs.
    if (peakReplicas(model.config) >= 1 && cacheAllows && roomForOne) return { kind: "surge" };
    if (peakReplicas(model.config) > 1) return { kind: "one-at-a-time" };
    const reason = !cacheAllows
      ? `its ReadWriteOnce cache attaches to one node of pool "${model.pool.name}", and a second pod may be placed on another`
      : `pool "${model.pool.name}" has no node with ${model.plan.gpusPerReplica} GPU(s) free for a second replica`;
    return { kind: "recreate", downSeconds: startupBudgetSeconds(model, cache), reason };
  });
}

/** What synth says about models whose change takes their endpoint down. */
export function rolloutWarnings(
  models: readonly PlannedModel[],
  cacheAccessMode: "ReadWriteOnce" | "ReadWriteMany",
  cache: { warmed: boolean } = { warmed: false },
): string[] {
  return rollouts(models, cacheAccessMode, cache).flatMap((rollout, index) => {
    const name = models[index].config.servedName;
    if (rollout.kind === "one-at-a-time" && initialReplicas(models[index].config) === 1) {
      return [
        `models[${index}] (${name}): replicas are replaced one at a time (no room to surge at maxReplicas); while KEDA runs it at ` +
          `minReplicas 1, a change takes its only replica down for up to ${Math.ceil(startupBudgetSeconds(models[index], cache) / 60)} min (its startup budget); minReplicas: 2 avoids it`,
      ];
    }
    if (rollout.kind !== "recreate") return [];
    return [
      `models[${index}] (${name}): a change to the model or its settings recreates its only replica, since ${rollout.reason}: ` +
        `the endpoint is down until the new server has loaded (up to ${Math.ceil(rollout.downSeconds / 60)} min, its startup budget)`,
    ];
  });
}
