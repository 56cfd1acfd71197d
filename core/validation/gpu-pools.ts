/**
 * Each pool's GPU, and each model's pool. A pool names its GPU either directly (gpu +
 * gpusPerNode, existing clusters) or through an instance type (aws), never both; the GPU
 * must be in the catalog. A problem here stops the pass: planning needs every pool.
 */
import { AWS_GPU_INSTANCES, findGpuInstance, type AwsGpuInstanceType } from "../catalog/aws-instances";
import { GPU_IDS, findGpu, type GpuSpec } from "../catalog/gpus";
import type { GpuPool } from "../environment";
import { EnvironmentError, type ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import type { GpuPoolConfig } from "../schema/serving";
import type { Checked } from "./checked";

/** A pool with its GPU resolved. */
export interface ResolvedGpuPool {
  /** Position in `gpuPools`, for field paths. */
  index: number;
  pool: GpuPool;
  gpu: GpuSpec;
  /** The catalog entry, when the file names an instance type. */
  instance?: AwsGpuInstanceType;
}

export interface ResolvedPools {
  /** One per pool, in the file's order. */
  pools: ResolvedGpuPool[];
  /** The pool of each model, in the file's order. */
  modelPools: ResolvedGpuPool[];
}

export function resolveGpuPools(file: string, config: EnvironmentConfig): ResolvedPools {
  const results = config.gpuPools.map((raw, index) => resolvePool(file, index, raw));
  const pools = results.flatMap((result) => (result.ok ? [result.value] : []));
  const issues = results.flatMap((result) => (result.ok ? [] : result.issues));
  const modelPools: ResolvedGpuPool[] = [];
  config.models.forEach((model, index) => {
    const pool = pools.find((p) => p.pool.name === model.pool);
    if (pool) modelPools.push(pool);
    // A pool that failed above is reported there; a name no pool has is reported here.
    else if (!config.gpuPools.some((p) => p.name === model.pool)) {
      issues.push({
        file,
        field: `models[${index}].pool`,
        message: `no GPU pool named "${model.pool}"`,
        fix: `use one of ${config.gpuPools.map((p) => p.name).join(", ")}`,
      });
    }
  });
  if (issues.length > 0) throw new EnvironmentError(issues);
  return { pools, modelPools };
}

function resolvePool(file: string, index: number, raw: GpuPoolConfig): Checked<ResolvedGpuPool> {
  const at = `gpuPools[${index}]`;
  const issues: ConfigIssue[] = [];
  const report: Report = (field, message, fix) => issues.push({ file, field: `${at}.${field}`, message, fix });
  const provided = raw.instanceType === undefined ? namedGpu(raw, report) : instanceGpu(raw, raw.instanceType, report);
  checkNodeBounds(raw, report);
  if (!provided || issues.length > 0) return { ok: false, issues };
  const { instanceType: _named, ...fields } = raw;
  return {
    ok: true,
    value: {
      index,
      pool: { ...fields, gpu: provided.gpuId, gpusPerNode: provided.gpusPerNode },
      gpu: provided.gpu,
      instance: provided.instance,
    },
  };
}

/** Records a problem with one of the pool's fields. */
type Report = (field: string, message: string, fix: string) => void;

interface ProvidedGpu {
  /** As the file or the instance catalog spells it. */
  gpuId: string;
  gpu: GpuSpec;
  gpusPerNode: number;
  instance?: AwsGpuInstanceType;
}

/** A pool that names its GPU directly: gpu and gpusPerNode. */
function namedGpu(raw: GpuPoolConfig, report: Report): ProvidedGpu | undefined {
  const gpu = knownGpu(raw.gpu, report);
  if (raw.gpu === undefined) report("gpu", "no GPU type", "set gpu and gpusPerNode (existing cluster) or instanceType (aws)");
  if (raw.gpusPerNode === undefined) report("gpusPerNode", "no GPU count", "set gpusPerNode (existing cluster) or instanceType (aws)");
  return gpu && raw.gpusPerNode !== undefined ? { gpuId: gpu.named, gpu: gpu.spec, gpusPerNode: raw.gpusPerNode } : undefined;
}

/** A pool that names an instance type: its GPU and their count follow from it, and are not stated again. */
function instanceGpu(raw: GpuPoolConfig, instanceType: string, report: Report): ProvidedGpu | undefined {
  knownGpu(raw.gpu, report);
  const instance = findGpuInstance(instanceType);
  if (!instance) {
    const family = AWS_GPU_INSTANCES.filter((i) => i.id.startsWith(`${instanceType.split(".")[0]}.`));
    report(
      "instanceType",
      `unknown GPU instance type "${instanceType}"`,
      `use one of ${(family.length > 0 ? family : AWS_GPU_INSTANCES).map((i) => i.id).join(", ")}`,
    );
  }
  for (const field of ["gpu", "gpusPerNode"] as const) {
    if (raw[field] !== undefined) {
      const derived = instance ? ` (${instance.id} has ${instance.gpus}× ${instance.gpu})` : "";
      report(field, `${field} follows from instanceType${derived}`, `remove ${field} so it is not stated twice`);
    }
  }
  if (!instance) return undefined;
  const gpu = findGpu(instance.gpu);
  if (!gpu) {
    report("instanceType", `${instance.id} has a ${instance.gpu}, which the GPU catalog lacks`, "add it to core/catalog/gpus.ts");
    return undefined;
  }
  return { gpuId: instance.gpu, gpu, gpusPerNode: instance.gpus, instance };
}

/** The catalog entry of a GPU the file names, with the name as written. */
function knownGpu(named: string | undefined, report: Report): { named: string; spec: GpuSpec } | undefined {
  if (named === undefined) return undefined;
  const spec = findGpu(named);
  if (!spec) report("gpu", "unknown GPU type", `use one of ${GPU_IDS.join(", ")}`);
  return spec && { named, spec };
}

/** aws node groups scale between minNodes and maxNodes around `nodes`. */
function checkNodeBounds(pool: GpuPoolConfig, report: Report): void {
  if (pool.minNodes !== undefined && pool.minNodes > pool.nodes) {
    report("minNodes", `minNodes ${pool.minNodes} is above nodes ${pool.nodes}`, `lower minNodes to at most ${pool.nodes}`);
  }
  if (pool.maxNodes !== undefined && pool.maxNodes < pool.nodes) {
    report("maxNodes", `maxNodes ${pool.maxNodes} is below nodes ${pool.nodes}`, `raise maxNodes to at least ${pool.nodes}`);
  }
}
