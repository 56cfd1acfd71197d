import type { ConfigIssue } from "../errors";
import { initialReplicas, peakReplicas, poolPeakNodes } from "../scale/autoscaling";
import type { ResolvedGpuPool } from "./gpu-pools";
import type { ModelOnPool } from "./planning";

/**
 * All replicas of all models on a pool must fit on its GPUs at once: a fixed model's
 * `replicas`, an autoscaled model's `maxReplicas` (KEDA may scale every model to its maximum
 * together). The pool's nodes are `nodes`, or on aws the node group's `maxNodes`, the most the
 * cluster autoscaler may add. When only the maxima overflow, the refusal names the maximum.
 */
export function poolCapacityIssues(file: string, pools: ResolvedGpuPool[], models: ModelOnPool[]): ConfigIssue[] {
  return pools.flatMap(({ index, pool, instance }) => {
    const onPool = models.filter((m) => m.pool.index === index);
    const gpusAt = (replicas: (m: ModelOnPool) => number) => onPool.reduce((sum, m) => sum + replicas(m) * m.plan.gpusPerReplica, 0);
    const needed = gpusAt((m) => peakReplicas(m.config));
    const nodes = poolPeakNodes(pool);
    const available = pool.gpusPerNode * nodes;
    if (needed <= available) return [];
    const autoscaled = onPool.filter((m) => m.config.autoscaling);
    // On aws an autoscaled pool grows to maxNodes (the cluster autoscaler's bound); elsewhere nodes is all there is.
    const nodesField = pool.maxNodes !== undefined || (instance && autoscaled.length > 0) ? "maxNodes" : "nodes";
    const nodesNeeded = Math.ceil(needed / pool.gpusPerNode);
    const atMinimum = gpusAt((m) => initialReplicas(m.config));
    if (autoscaled.length > 0 && atMinimum <= available) {
      const model = autoscaled[0];
      const max = peakReplicas(model.config);
      const room = Math.floor((available - (needed - max * model.plan.gpusPerReplica)) / model.plan.gpusPerReplica);
      return [
        {
          file,
          field: `models[${model.index}].autoscaling.maxReplicas`,
          message:
            `at their maxima the models on pool "${pool.name}" need ${needed} GPUs (${onPool.map((m) => `${m.config.servedName} ${peakReplicas(m.config)} × ${m.plan.gpusPerReplica}`).join(" + ")}), ` +
            `and its ${nodes} node(s) × ${pool.gpusPerNode} GPUs hold ${available}: ${model.config.servedName} could never reach ${max} replicas`,
          fix:
            `lower maxReplicas to ${Math.max(room, 0)}, or raise gpuPools[${index}].${nodesField} to ${nodesNeeded}` +
            (nodesField === "maxNodes" ? " (the most nodes the cluster autoscaler may add)" : ""),
        },
      ];
    }
    return [
      {
        file,
        field: `gpuPools[${index}].${nodesField}`,
        message: `models on pool "${pool.name}" need ${needed} GPUs (replicas × tensorParallel × pipelineParallel), the pool has ${available}`,
        fix: `raise ${nodesField} to ${nodesNeeded} or lower the models' replicas`,
      },
    ];
  });
}
