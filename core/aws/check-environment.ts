/**
 * Checks of the aws target: every pool is a node group the kit builds from an instance type,
 * a replica must fit on one instance, and the kit's load balancer and EBS volumes replace
 * what an existing cluster would offer. Narrows the config to the aws target.
 */
import { AWS_GPU_INSTANCES, instancesWithGpu, type AwsGpuInstanceType, type AwsInstanceType } from "../catalog/aws-instances";
import { ec2PricePerHour } from "../catalog/aws-prices";
import { findGpu } from "../catalog/gpus";
import type { ModelSpec } from "../catalog/models";
import type { AwsEnvironmentConfig, AwsGpuPool, AwsLoadBalancer, GpuPool } from "../environment";
import type { ConfigIssue } from "../errors";
import { SHARED_MODEL_CACHE_STORAGE_CLASS, buildsSharedModelCache } from "./names";
import { modelPlanSettings } from "../planning/model-settings";
import { planModel } from "../planning/planner";
import type { VllmRelease } from "../planning/vllm-versions";
import type { EnvironmentConfig } from "../schema";
import type { ModelConfig } from "../schema/model";
import { AWS_POOL_LABEL } from "../schema/serving";
import type { AwsTarget } from "../schema/target";
import { checked } from "../validation/checked";
import type { ResolvedGpuPool, ResolvedPools } from "../validation/gpu-pools";
import type { PlanningContext } from "../validation/planning-context";
import type { TargetCheck } from "../validation/target";
import { GPU_TAINT } from "./node-groups";

export function checkAwsTarget(
  file: string,
  config: EnvironmentConfig,
  target: AwsTarget,
  { pools, modelPools }: ResolvedPools,
  planning: PlanningContext,
): TargetCheck<AwsEnvironmentConfig> {
  const issues: ConfigIssue[] = [];
  const loadBalancer = withCertificate(target.loadBalancer);
  if (!loadBalancer) {
    issues.push({
      file,
      field: "target.loadBalancer.route53ZoneId",
      message: "TLS needs a certificate",
      fix: "set route53ZoneId (the kit requests a DNS-validated certificate for *.<domain>) or certificateArn (an existing ACM certificate)",
    });
  }
  const gpuPools: AwsGpuPool[] = [];
  for (const { index, pool, instance } of pools) {
    const at = `gpuPools[${index}]`;
    // EBS caches pin a pool to one AZ (the target's first unless it names one); an EFS cache
    // mounts in every AZ, so such a pool's node group spans them unless it names one.
    const zoneIndex =
      pool.availabilityZone !== undefined
        ? poolZoneIndex(file, at, pool.availabilityZone, target, issues)
        : buildsSharedModelCache(config)
          ? undefined
          : 0;
    if (instance) gpuPools.push(nodeGroupPool(pool, instance, zoneIndex));
    else issues.push(missingInstanceType(file, at, pool));
    const autoscaled = config.models.some((model) => model.pool === pool.name && model.autoscaling);
    if (!autoscaled) issues.push(...scalingBoundIssues(file, at, pool));
    if (pool.nodeAllocatable !== undefined) {
      issues.push({
        file,
        field: `${at}.nodeAllocatable`,
        message: "on aws a node's allocatable CPU and memory follow from instanceType",
        fix: "remove nodeAllocatable so it is not stated twice",
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
  }
  const skipPlanning = new Set<number>();
  config.models.forEach((model, index) => {
    const issue = instanceFitIssue(file, `models[${index}]`, model, modelPools[index], target, planning.specs[index], planning.vllm);
    if (issue) {
      issues.push(issue);
      skipPlanning.add(index);
    }
  });
  if (config.modelCache.storageClass === SHARED_MODEL_CACHE_STORAGE_CLASS) {
    // The kit builds that class only when the file names none: named, it would not exist.
    issues.push({
      file,
      field: "modelCache.storageClass",
      message: `${SHARED_MODEL_CACHE_STORAGE_CLASS} is the class of the kit's EFS cache, which it builds only when storageClass is absent`,
      fix: "remove storageClass and set modelCache.accessMode: ReadWriteMany for the EFS cache, or name a class of your own",
    });
  }
  if (config.exposure.type !== "ClusterIP") {
    issues.push({
      file,
      field: "exposure.type",
      message: `on aws the models are exposed by the kit's TLS load balancer, not by exposure.type ${config.exposure.type}`,
      fix: "remove exposure and configure target.loadBalancer (scheme, allowedCidrs, domain, certificate)",
    });
  }
  return {
    config: loadBalancer ? checked(issues, () => ({ ...config, target: { ...target, loadBalancer }, gpuPools })) : { ok: false, issues },
    skipPlanning,
  };
}

/** The load balancer with its certificate's source: an ACM certificate's ARN, or a Route 53 zone to request one in. */
function withCertificate({ certificateArn, ...loadBalancer }: AwsTarget["loadBalancer"]): AwsLoadBalancer | undefined {
  if (certificateArn !== undefined) return { ...loadBalancer, certificateArn };
  const { route53ZoneId } = loadBalancer;
  return route53ZoneId === undefined ? undefined : { ...loadBalancer, route53ZoneId };
}

/** The pool as the node group the kit builds: labelled so the vLLM pods select its nodes. */
function nodeGroupPool(pool: GpuPool, instanceType: AwsGpuInstanceType, zoneIndex: number | undefined): AwsGpuPool {
  const { availabilityZone: _zone, nodeAllocatable: _allocatable, ...fields } = pool;
  return { ...fields, instanceType, zoneIndex, nodeSelector: { [AWS_POOL_LABEL]: pool.name, ...pool.nodeSelector } };
}

/**
 * The pool's AZ as an index into the target's zones. A node group in one AZ keeps a replacement
 * node where the pool's EBS model caches are (docs/deploy-aws.md, "One AZ per GPU pool").
 */
function poolZoneIndex(file: string, at: string, availabilityZone: string, target: AwsTarget, issues: ConfigIssue[]): number | undefined {
  const zones = target.availabilityZones;
  const index = zones?.indexOf(availabilityZone) ?? -1;
  if (index >= 0) return index;
  issues.push({
    file,
    field: `${at}.availabilityZone`,
    message: zones
      ? `${availabilityZone} is not one of target.availabilityZones (${zones.join(", ")})`
      : `${availabilityZone} names an AZ, but target.availabilityZones lists none (the kit then picks the region's first AZs at deploy time)`,
    fix: zones
      ? `use one of ${zones.join(", ")}, or add it to target.availabilityZones`
      : "list the target's AZs in target.availabilityZones, this one among them",
  });
  return undefined;
}

/**
 * The cluster autoscaler moves a node group between its bounds only when pods wait for room:
 * on a pool with no autoscaled model nothing ever does, so a bound other than `nodes` would
 * have no effect.
 */
function scalingBoundIssues(file: string, at: string, pool: GpuPool): ConfigIssue[] {
  const bounds = [
    { field: "minNodes", value: pool.minNodes, outside: pool.minNodes !== undefined && pool.minNodes < pool.nodes },
    { field: "maxNodes", value: pool.maxNodes, outside: pool.maxNodes !== undefined && pool.maxNodes > pool.nodes },
  ];
  return bounds
    .filter((bound) => bound.outside)
    .map((bound) => ({
      file,
      field: `${at}.${bound.field}`,
      message:
        `${bound.field} ${bound.value} differs from nodes ${pool.nodes}, but no model on pool "${pool.name}" autoscales: ` +
        "its models have fixed replicas, so nothing would ever scale the node group",
      fix: `remove ${bound.field} (or set it to ${pool.nodes}); change nodes to resize the pool, or give a model on it autoscaling`,
    }));
}

function missingInstanceType(file: string, at: string, pool: GpuPool): ConfigIssue {
  const options = instancesWithGpu(pool.gpu, pool.gpusPerNode).slice(0, 4);
  return {
    file,
    field: `${at}.instanceType`,
    message: `pool "${pool.name}" has no instanceType; on aws the kit builds its node group from one`,
    fix:
      `replace gpu and gpusPerNode by instanceType` +
      (options.length > 0
        ? `, e.g. ${options.map(describeInstance).join(", ")}`
        : `: one of ${AWS_GPU_INSTANCES.map((i) => i.id).join(", ")}`),
  };
}

function toleratesGpuTaint(toleration: GpuPool["tolerations"][number]): boolean {
  return (
    toleration.key === GPU_TAINT.key &&
    (toleration.operator === "Exists" || toleration.value === GPU_TAINT.value) &&
    (toleration.effect === undefined || toleration.effect === GPU_TAINT.effect)
  );
}

/**
 * On aws a replica runs on one instance: cross-node tensor/pipeline parallelism would need EFA
 * networking. Left to the other checks when the pool has no instance type or the model is unknown.
 */
function instanceFitIssue(
  file: string,
  at: string,
  model: ModelConfig,
  { pool, instance }: ResolvedGpuPool,
  target: AwsTarget,
  spec: ModelSpec | undefined,
  vllm: VllmRelease | undefined,
): ConfigIssue | undefined {
  const gpus = model.tensorParallel * model.pipelineParallel;
  if (!instance || !spec || gpus <= instance.gpus) return undefined;
  const fitting = vllm ? fittingInstanceTypes(spec, model, target.region, vllm) : [];
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

/** Instance types on which the model runs with its TP × PP on one instance, cheapest first. */
export function fittingInstanceTypes(spec: ModelSpec, model: ModelConfig, region: string, vllm: VllmRelease): AwsGpuInstanceType[] {
  const price = (i: AwsInstanceType) => ec2PricePerHour(region, i.id) ?? Number.POSITIVE_INFINITY;
  return AWS_GPU_INSTANCES.filter((instance) => {
    const gpu = findGpu(instance.gpu);
    if (!gpu || instance.gpus < model.tensorParallel * model.pipelineParallel) return false;
    return planModel({
      model: spec,
      gpu,
      vllm,
      gpusPerNode: instance.gpus,
      gpusAvailable: instance.gpus,
      ...modelPlanSettings(model),
    }).ok;
  }).sort((a, b) => price(a) - price(b) || a.id.localeCompare(b.id));
}

function describeInstance(instance: AwsGpuInstanceType): string {
  return `${instance.id} (${instance.gpus}× ${instance.gpu})`;
}
