/**
 * `npm run plan -- --model <id> --gpu <type> [--tp N] [--pp N] [--max-model-len N]
 *  [--gpu-memory-utilization F] [--gpus-per-node N] [--quantization Q] [--kv-cache-dtype D] [--json]`
 * Plans one model on one GPU type without an environment file.
 */
import { GPU_IDS, findGpu } from "../core/catalog/gpus";
import { findModel } from "../core/catalog/models";
import { KV_CACHE_DTYPES, QUANTIZATIONS } from "../core/enums";
import { planModel, type GpuPlan, type PlanInput } from "../core/planning/planner";
import { UNKNOWN_MODEL_FIX } from "../core/resolve-model";
import { formatPlanLines } from "../core/summary";
import { UsageError, numberArg, parseFlags, type ParsedArgs } from "./args";

const FLAGS = {
  model: { type: "string" },
  gpu: { type: "string" },
  tp: { type: "string" },
  pp: { type: "string" },
  "max-model-len": { type: "string" },
  "gpu-memory-utilization": { type: "string" },
  "gpus-per-node": { type: "string" },
  quantization: { type: "string" },
  "kv-cache-dtype": { type: "string" },
  json: { type: "boolean" },
} as const;

function main(): number {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  if (typeof args.model !== "string") throw new UsageError("--model is required");
  if (typeof args.gpu !== "string") throw new UsageError("--gpu is required");
  const model = findModel(args.model);
  if (!model) throw new UsageError(`unknown model "${args.model}": ${UNKNOWN_MODEL_FIX}`);
  const gpu = findGpu(args.gpu);
  if (!gpu) throw new UsageError(`unknown GPU "${args.gpu}": use one of ${GPU_IDS.join(", ")}`);
  const tensorParallel = numberArg(args, "tp", { integer: true }) ?? 1;
  const pipelineParallel = numberArg(args, "pp", { integer: true }) ?? 1;
  const gpusPerNode = numberArg(args, "gpus-per-node", { integer: true }) ?? Math.max(8, tensorParallel);
  const input: PlanInput = {
    model,
    gpu,
    gpusPerNode,
    gpusAvailable: Math.ceil((tensorParallel * pipelineParallel) / gpusPerNode) * gpusPerNode,
    tensorParallel,
    pipelineParallel,
    maxModelLen: numberArg(args, "max-model-len", { integer: true }),
    gpuMemoryUtilization: numberArg(args, "gpu-memory-utilization") ?? 0.9,
    quantization: oneOf(args, "quantization", QUANTIZATIONS, "none"),
    kvCacheDtype: oneOf(args, "kv-cache-dtype", KV_CACHE_DTYPES, "auto"),
  };
  const result = planModel(input);

  if (args.json) {
    console.log(JSON.stringify(result.ok ? planJson(result.plan) : { errors: result.problems }, null, 2));
    return result.ok ? 0 : 1;
  }
  const header = `${model.id} on ${gpu.id} (${gpu.memoryMiB} MiB${gpu.nvlink ? ", NVLink" : ""}) · TP ${tensorParallel} × PP ${pipelineParallel}`;
  if (!result.ok) {
    console.error(`${header}: does not fit\n${result.problems.map((p) => `  ${p.field}: ${p.message}\n    fix: ${p.fix}`).join("\n")}`);
    return 1;
  }
  console.log(
    [header, ...formatPlanLines(result.plan).map((l) => `  ${l}`), ...result.plan.warnings.map((w) => `  warning: ${w}`)].join("\n"),
  );
  return 0;
}

function planJson(plan: GpuPlan) {
  return {
    gpus: plan.gpusPerReplica,
    nodes: plan.nodesPerReplica,
    weightsGiBPerGpu: plan.weightGiBPerGpu,
    kvBytesPerToken: plan.kvBytesPerToken,
    kvBytesPerTokenPerGpu: plan.kvBytesPerTokenPerGpu,
    kvCacheGiBPerGpu: plan.kvCacheGiBPerGpu,
    kvCacheTokens: plan.kvCacheTokens,
    maxModelLen: plan.maxModelLen,
    maxConcurrency: plan.maxConcurrency,
    warnings: plan.warnings,
  };
}

function oneOf<T extends string>(args: ParsedArgs, flag: string, allowed: readonly T[], fallback: T): T {
  const value = args[flag];
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}`);
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(
    `plan: ${error.message}\nusage: npm run plan -- --model <id> --gpu <type> [--tp N] [--pp N] [--max-model-len N] [--gpu-memory-utilization F] [--json]`,
  );
  process.exitCode = 2;
}
