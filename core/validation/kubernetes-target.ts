/**
 * Checks of an existing cluster: the kit does not build its nodes, so the pool fields that
 * describe an aws node group mean nothing there.
 */
import { AWS_ONLY_POOL_FIELDS, type GpuPool, type KubernetesEnvironmentConfig, type KubernetesGpuPool } from "../environment";
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import type { KubernetesTarget } from "../schema/target";
import { checked } from "./checked";
import type { ResolvedPools } from "./gpu-pools";
import type { TargetCheck } from "./target";

export function checkKubernetesTarget(
  file: string,
  config: EnvironmentConfig,
  target: KubernetesTarget,
  { pools }: ResolvedPools,
): TargetCheck<KubernetesEnvironmentConfig> {
  const issues: ConfigIssue[] = config.gpuPools.flatMap((pool, index) =>
    AWS_ONLY_POOL_FIELDS.filter((field) => pool[field] !== undefined).map((field) => ({
      file,
      field: `gpuPools[${index}].${field}`,
      message: `${field} describes a node group the kit builds on aws; an existing cluster's nodes are managed outside the kit`,
      fix: field === "instanceType" ? "set gpu and gpusPerNode instead" : `remove ${field}`,
    })),
  );
  return {
    config: checked(issues, () => ({ ...config, target, gpuPools: pools.map((resolved) => existingClusterPool(resolved.pool)) })),
    skipPlanning: new Set(),
  };
}

function existingClusterPool(pool: GpuPool): KubernetesGpuPool {
  const { minNodes: _min, maxNodes: _max, rootVolumeGiB: _rootVolume, availabilityZone: _zone, ...placement } = pool;
  return placement;
}
