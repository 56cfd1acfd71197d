/**
 * Checks of a Docker host: one machine, so one pool describing it, one container per model, and
 * each model pinned to GPU indices of its own. The indices are assigned here, in the file's
 * order, so the stack and the summary read one assignment.
 */
import { AWS_ONLY_POOL_FIELDS, type DockerEnvironmentConfig, type GpuPool, type KubernetesGpuPool } from "../environment";
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import type { DockerTarget } from "../schema/target";
import { checked } from "./checked";
import type { ResolvedPools } from "./gpu-pools";
import type { TargetCheck } from "./target";

/** GPUs one model's container takes: its tensor- × pipeline-parallel ranks. */
export function dockerModelGpus(model: { tensorParallel: number; pipelineParallel: number }): number {
  return model.tensorParallel * model.pipelineParallel;
}

/** Consecutive GPU indices per model, in order; undefined where the machine has none left. */
export function assignGpuIndices(gpusPerModel: readonly number[]): (number[] | undefined)[] {
  let next = 0;
  return gpusPerModel.map((gpus) => {
    const indices = Array.from({ length: gpus }, (_, i) => next + i);
    next += gpus;
    return indices;
  });
}

export function checkDockerTarget(
  file: string,
  config: EnvironmentConfig,
  target: DockerTarget,
  { pools }: ResolvedPools,
): TargetCheck<DockerEnvironmentConfig> {
  const issues: ConfigIssue[] = [];
  const refuse = (field: string, message: string, fix: string) => issues.push({ file, field, message, fix });
  if (config.gpuPools.length !== 1) {
    refuse(
      "gpuPools",
      `a docker target is one machine, described by one pool; ${config.gpuPools.length} are declared`,
      "keep one pool: its gpu and gpusPerNode describe the machine's GPUs",
    );
  }
  config.gpuPools.forEach((pool, index) => {
    for (const field of AWS_ONLY_POOL_FIELDS.filter((name) => pool[name] !== undefined))
      refuse(
        `gpuPools[${index}].${field}`,
        `${field} describes a node group the kit builds on aws; a docker target is one machine`,
        field === "instanceType" ? "set gpu and gpusPerNode instead" : `remove ${field}`,
      );
    if (pool.nodes !== 1)
      refuse(`gpuPools[${index}].nodes`, `a docker target is one machine, ${pool.nodes} nodes are declared`, "set nodes: 1");
  });
  if (config.exposure.type !== "ClusterIP")
    refuse(
      "exposure",
      "exposure configures Kubernetes Services; on docker the gateway is published on target.bindAddress:target.ports.gateway",
      "remove exposure",
    );
  if (config.monitoring.enabled && config.monitoring.prometheusIngress !== undefined)
    refuse(
      "monitoring.prometheusIngress",
      "a docker target has no Ingress; Prometheus is published on target.bindAddress:target.ports.prometheus",
      "remove prometheusIngress",
    );
  if ("existingSecret" in config.auth.apiKey)
    refuse("auth.apiKey", "a docker target has no Kubernetes Secret; the key is the file target.apiKeyFile", "remove auth.apiKey");
  if (config.auth.huggingFaceToken !== undefined)
    refuse(
      "auth.huggingFaceToken",
      "a docker target has no Kubernetes Secret to read the token from; only public models download there so far",
      "remove auth.huggingFaceToken and serve a public model",
    );
  if (config.monitoring.enabled && config.monitoring.alertmanager.receivers.length > 0)
    refuse(
      "monitoring.alertmanager.receivers",
      "alert receivers read their URLs from Kubernetes Secrets, which a docker target does not have; Alertmanager's UI still lists the alerts",
      "remove the receivers (docs/deploy-docker.md)",
    );
  config.models.forEach((model, index) => {
    if (model.replicas !== 1)
      refuse(
        `models[${index}].replicas`,
        `a docker target runs one container per model, ${model.replicas} replicas are declared`,
        "set replicas: 1 (or remove the model to stop serving it)",
      );
  });
  const machineGpus = pools[0]?.pool.gpusPerNode ?? 0;
  const wanted = config.models.map(dockerModelGpus);
  const assigned = assignGpuIndices(wanted);
  const total = wanted.reduce((sum, gpus) => sum + gpus, 0);
  const skipPlanning = new Set<number>();
  assigned.forEach((indices, index) => {
    if (indices !== undefined && indices.some((gpu) => gpu >= machineGpus)) {
      skipPlanning.add(index);
      refuse(
        `models[${index}]`,
        `the models need ${total} GPUs (tensorParallel × pipelineParallel each, none shared), the machine has ${machineGpus}; ${config.models[index].servedName} would get GPU ${indices.join(", ")}, which it does not have`,
        `lower tensorParallel of a model, remove a model, or raise gpuPools[0].gpusPerNode if the machine has more GPUs`,
      );
    }
  });
  return {
    config: checked(issues, () => ({
      ...config,
      target,
      gpuPools: [dockerPool(pools[0].pool)],
      gpuIndices: assigned.map((indices) => indices ?? []),
    })),
    skipPlanning,
  };
}

function dockerPool(pool: GpuPool): KubernetesGpuPool {
  const { minNodes: _min, maxNodes: _max, rootVolumeGiB: _rootVolume, availabilityZone: _zone, ...placement } = pool;
  return placement;
}
