import type { ConfigIssue } from "../errors";
import type { ResolvedGpuPool } from "./gpu-pools";
import type { ModelOnPool } from "./planning";

/** All replicas of all models on a pool must fit on its GPUs at once. */
export function poolCapacityIssues(file: string, pools: ResolvedGpuPool[], models: ModelOnPool[]): ConfigIssue[] {
  return pools.flatMap(({ index, pool }) => {
    const onPool = models.filter((m) => m.pool.index === index);
    const needed = onPool.reduce((sum, m) => sum + m.config.replicas * m.plan.gpusPerReplica, 0);
    const available = pool.gpusPerNode * pool.nodes;
    if (needed <= available) return [];
    return [
      {
        file,
        field: `gpuPools[${index}].nodes`,
        message: `models on pool "${pool.name}" need ${needed} GPUs (replicas × tensorParallel × pipelineParallel), the pool has ${available}`,
        fix: `raise nodes to ${Math.ceil(needed / pool.gpusPerNode)} or lower the models' replicas`,
      },
    ];
  });
}
