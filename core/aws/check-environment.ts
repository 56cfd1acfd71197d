/**
 * Checks that only make sense knowing the target: on aws every pool is a node group the kit
 * builds from an instance type, and a replica must fit on one instance; on an existing
 * cluster the aws-only pool fields mean nothing. Called by the loader after the schema.
 */
import { AWS_GPU_INSTANCES, findGpuInstance, instancesWithGpu, type AwsInstanceType } from "../catalog/aws-instances";
import { ec2PricePerHour } from "../catalog/aws-prices";
import { findGpu } from "../catalog/gpus";
import type { ModelSpec } from "../catalog/models";
import type { ConfigIssue } from "../errors";
import { modelPlanSettings } from "../planning/model-settings";
import { planModel } from "../planning/planner";
import { resolveModelSpec } from "../resolve-model";
import type { EnvironmentConfig } from "../schema";
import type { ModelConfig } from "../schema/model";
import type { GpuPoolConfig } from "../schema/serving";
import type { AwsTarget } from "../schema/target";
import { GPU_TAINT } from "./node-groups";

export interface TargetChecks {
  issues: ConfigIssue[];
  /** Indexes of models whose plan would only repeat an issue reported here. */
  skipPlanning: Set<number>;
}

const AWS_ONLY_POOL_FIELDS = ["instanceType", "minNodes", "maxNodes", "rootVolumeGiB"] as const;

export function targetChecks(file: string, config: EnvironmentConfig): TargetChecks {
  const target = config.target;
  if (target.kind !== "aws") return { issues: awsFieldsOnExistingCluster(file, config), skipPlanning: new Set() };
  const issues: ConfigIssue[] = [];
  const skipPlanning = new Set<number>();
  config.gpuPools.forEach((pool, index) => issues.push(...poolIssues(file, `gpuPools[${index}]`, pool)));
  config.models.forEach((model, index) => {
    const issue = instanceFitIssue(file, `models[${index}]`, model, config.gpuPools, target);
    if (issue) {
      issues.push(issue);
      skipPlanning.add(index);
    }
    const shared = sharedCacheIssue(file, `models[${index}]`, model, config.gpuPools);
    if (shared) issues.push(shared);
  });
  if (config.exposure.type !== "ClusterIP") {
    issues.push({
      file,
      field: "exposure.type",
      message: `on aws the models are exposed by the kit's TLS load balancer, not by exposure.type ${config.exposure.type}`,
      fix: "remove exposure and configure target.loadBalancer (scheme, allowedCidrs, domain, certificate)",
    });
  }
  if (config.modelCache.accessMode === "ReadWriteMany") {
    issues.push({
      file,
      field: "modelCache.accessMode",
      message: "the model cache is an EBS volume on aws, which attaches to one node at a time",
      fix: "use accessMode: ReadWriteOnce (a model's replicas then share its cache on one node)",
    });
  }
  return { issues, skipPlanning };
}

function awsFieldsOnExistingCluster(file: string, config: EnvironmentConfig): ConfigIssue[] {
  return config.gpuPools.flatMap((pool, index) =>
    AWS_ONLY_POOL_FIELDS.filter((field) => pool[field] !== undefined).map((field) => ({
      file,
      field: `gpuPools[${index}].${field}`,
      message: `${field} describes a node group the kit builds on aws; an existing cluster's nodes are managed outside the kit`,
      fix: field === "instanceType" ? "set gpu and gpusPerNode instead" : `remove ${field}`,
    })),
  );
}

function poolIssues(file: string, at: string, pool: GpuPoolConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (pool.instanceType === undefined) {
    const options = instancesWithGpu(pool.gpu, pool.gpusPerNode).slice(0, 4);
    issues.push({
      file,
      field: `${at}.instanceType`,
      message: `pool "${pool.name}" has no instanceType; on aws the kit builds its node group from one`,
      fix:
        `replace gpu and gpusPerNode by instanceType` +
        (options.length > 0 ? `, e.g. ${options.map(describeInstance).join(", ")}` : `: one of ${AWS_GPU_INSTANCES.map((i) => i.id).join(", ")}`),
    });
  }
  if (!pool.tolerations.some(toleratesGpuTaint)) {
    issues.push({
      file,
      field: `${at}.tolerations`,
      message: `the pool's nodes are tainted ${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect} and no toleration of the pool admits it`,
      fix: `add { key: ${GPU_TAINT.key}, operator: Exists, effect: NoSchedule } (or remove tolerations for the default)`,
    });
  }
  return issues;
}

function toleratesGpuTaint(toleration: GpuPoolConfig["tolerations"][number]): boolean {
  return (
    toleration.key === GPU_TAINT.key &&
    (toleration.operator === "Exists" || toleration.value === GPU_TAINT.value) &&
    (toleration.effect === undefined || toleration.effect === GPU_TAINT.effect)
  );
}

/** On aws a replica runs on one instance: cross-node tensor/pipeline parallelism would need EFA networking. */
function instanceFitIssue(
  file: string,
  at: string,
  model: ModelConfig,
  pools: GpuPoolConfig[],
  target: AwsTarget,
): ConfigIssue | undefined {
  const pool = pools.find((p) => p.name === model.pool);
  const instance = pool?.instanceType === undefined ? undefined : findGpuInstance(pool.instanceType);
  const spec = resolveModelSpec(model.model);
  const gpus = model.tensorParallel * model.pipelineParallel;
  if (!pool || !instance || !spec || gpus <= instance.gpus) return undefined;
  const fitting = fittingInstanceTypes(spec, model, target.region);
  return {
    file,
    field: `${at}.${model.tensorParallel > instance.gpus ? "tensorParallel" : "pipelineParallel"}`,
    message:
      `model ${model.servedName} needs tensorParallel × pipelineParallel = ${gpus} GPUs on one instance, ` +
      `but pool "${pool.name}" runs ${instance.id} with ${instance.gpus}× ${instance.gpu}`,
    fix:
      fitting.length > 0
        ? `give pool "${pool.name}" an instance type that holds it, e.g. ${fitting.slice(0, 4).map(describeInstance).join(", ")}; or lower tensorParallel/pipelineParallel to fit ${instance.gpus} GPU(s)`
        : `no instance type in the catalog holds ${spec.id} at ${gpus} GPUs; lower tensorParallel/pipelineParallel or quantize the model`,
  };
}

/**
 * A model's replicas share one cache claim, and an EBS volume attaches to one node at a time:
 * replicas that cannot all run on one instance would leave the others waiting for the volume.
 */
function sharedCacheIssue(file: string, at: string, model: ModelConfig, pools: GpuPoolConfig[]): ConfigIssue | undefined {
  const pool = pools.find((p) => p.name === model.pool);
  const instance = pool?.instanceType === undefined ? undefined : findGpuInstance(pool.instanceType);
  const gpus = model.replicas * model.tensorParallel * model.pipelineParallel;
  if (!instance || model.replicas <= 1 || gpus <= instance.gpus) return undefined;
  return {
    file,
    field: `${at}.replicas`,
    message:
      `${model.replicas} replicas of ${model.servedName} need ${gpus} GPUs, more than one ${instance.id} has (${instance.gpus}), ` +
      `but they share one EBS model cache, which attaches to a single node`,
    fix: `use replicas: 1, or an instance type with at least ${gpus} GPUs so all replicas share a node`,
  };
}

/** Instance types on which the model runs with its TP × PP on one instance, cheapest first. */
export function fittingInstanceTypes(spec: ModelSpec, model: ModelConfig, region: string): AwsInstanceType[] {
  const price = (i: AwsInstanceType) => ec2PricePerHour(region, i.id) ?? Number.POSITIVE_INFINITY;
  return AWS_GPU_INSTANCES.filter((instance) => {
    const gpu = instance.gpu === undefined ? undefined : findGpu(instance.gpu);
    if (!gpu || instance.gpus < model.tensorParallel * model.pipelineParallel) return false;
    return planModel({
      model: spec,
      gpu,
      gpusPerNode: instance.gpus,
      gpusAvailable: instance.gpus,
      ...modelPlanSettings(model),
    }).ok;
  }).sort((a, b) => price(a) - price(b) || a.id.localeCompare(b.id));
}

function describeInstance(instance: AwsInstanceType): string {
  return `${instance.id} (${instance.gpus}× ${instance.gpu})`;
}
