/**
 * `npm run plan -- (--model <id> | --model-config <config.json>) --gpu <type> [--tp N] [--pp N]
 *  [--max-model-len N] [--gpu-memory-utilization F] [--gpus-per-node N] [--quantization Q]
 *  [--kv-cache-dtype D] [--vllm TAG] [--max-num-batched-tokens N] [--max-num-seqs N]
 *  [--typical-request-tokens N] [--json]`
 * Plans one model on one GPU type without an environment file; for a model that does not fit,
 * lists the layouts that do, cheapest first.
 */
import path from "node:path";
import { GPU_IDS, findGpu } from "../core/catalog/gpus";
import { findModel, modelSpec, type ModelSpec } from "../core/catalog/models";
import { KV_CACHE_DTYPES, QUANTIZATIONS } from "../core/enums";
import { readModelConfigFile } from "../core/load-model-config";
import { parseModelConfig } from "../core/model-config";
import { fittingLayouts, type Layout } from "../core/planning/layouts";
import { toGiB } from "../core/planning/memory";
import { planModel, type GpuPlan, type PlanInput } from "../core/planning/planner";
import { KNOWN_VLLM_TAGS, PINNED_VLLM_TAG, findVllmRelease } from "../core/planning/vllm-versions";
import { UNKNOWN_MODEL_FIX } from "../core/resolve-model";
import { formatPlanLines } from "../core/summary";
import { UsageError, numberArg, parseFlags, type ParsedArgs } from "./args";

const FLAGS = {
  model: { type: "string" },
  "model-config": { type: "string" },
  "hf-repo": { type: "string" },
  gpu: { type: "string" },
  tp: { type: "string" },
  pp: { type: "string" },
  "max-model-len": { type: "string" },
  "gpu-memory-utilization": { type: "string" },
  "gpus-per-node": { type: "string" },
  quantization: { type: "string" },
  "kv-cache-dtype": { type: "string" },
  vllm: { type: "string" },
  "max-num-batched-tokens": { type: "string" },
  "max-num-seqs": { type: "string" },
  "typical-request-tokens": { type: "string" },
  json: { type: "boolean" },
} as const;

const USAGE =
  "usage: npm run plan -- (--model <id> | --model-config <config.json> [--hf-repo org/name]) --gpu <type> [--tp N] [--pp N] " +
  "[--max-model-len N] [--gpu-memory-utilization F] [--gpus-per-node N] [--quantization Q] [--kv-cache-dtype D] " +
  "[--vllm TAG] [--max-num-batched-tokens N] [--max-num-seqs N] [--typical-request-tokens N] [--json]";

function main(): number {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  const model = modelFromArgs(args);
  if (typeof args.gpu !== "string") throw new UsageError("--gpu is required");
  const gpu = findGpu(args.gpu);
  if (!gpu) throw new UsageError(`unknown GPU "${args.gpu}": use one of ${GPU_IDS.join(", ")}`);
  const tag = typeof args.vllm === "string" ? args.vllm : PINNED_VLLM_TAG;
  const vllm = findVllmRelease(tag);
  if (!vllm) throw new UsageError(`the planner does not know vLLM ${tag}: use one of ${KNOWN_VLLM_TAGS.join(", ")}`);
  const tensorParallel = numberArg(args, "tp", { integer: true }) ?? 1;
  const pipelineParallel = numberArg(args, "pp", { integer: true }) ?? 1;
  const gpusPerNode = numberArg(args, "gpus-per-node", { integer: true }) ?? Math.max(8, tensorParallel);
  const input: PlanInput = {
    model,
    gpu,
    vllm,
    gpusPerNode,
    gpusAvailable: Math.ceil((tensorParallel * pipelineParallel) / gpusPerNode) * gpusPerNode,
    tensorParallel,
    pipelineParallel,
    maxModelLen: numberArg(args, "max-model-len", { integer: true }),
    gpuMemoryUtilization: numberArg(args, "gpu-memory-utilization"),
    maxNumBatchedTokens: numberArg(args, "max-num-batched-tokens", { integer: true }),
    maxNumSeqs: numberArg(args, "max-num-seqs", { integer: true }),
    quantization: oneOf(args, "quantization", QUANTIZATIONS, "none"),
    kvCacheDtype: oneOf(args, "kv-cache-dtype", KV_CACHE_DTYPES, "auto"),
    typicalRequestTokens: numberArg(args, "typical-request-tokens", { integer: true }),
  };
  const result = planModel(input);
  const layouts = result.ok ? [] : fittingLayouts(input);

  if (args.json) {
    console.log(JSON.stringify(result.ok ? planJson(result.plan) : { errors: result.problems, layouts: layouts.map(layoutJson) }, null, 2));
    return result.ok ? 0 : 1;
  }
  const header =
    `${model.id} (${model.parametersB} B parameters) on ${gpu.id} (${gpu.memoryMiB} MiB, ${gpu.cudaMemoryGiB} GiB to CUDA` +
    `${gpu.nvlink ? ", NVLink" : ""}) · TP ${tensorParallel} × PP ${pipelineParallel} · vLLM ${vllm.tag}`;
  if (!result.ok) {
    const problems = result.problems.map((p) => `  ${p.field}: ${p.message}\n    fix: ${p.fix}`);
    console.error([`${header}: does not fit`, ...problems, ...layoutLines(layouts)].join("\n"));
    return 1;
  }
  const { plan } = result;
  console.log(
    [
      header,
      ...[...formatPlanLines(plan), ...detailLines(plan)].map((line) => `  ${line}`),
      ...plan.warnings.map((w) => `  warning: ${w}`),
    ].join("\n"),
  );
  return 0;
}

function modelFromArgs(args: ParsedArgs): ModelSpec {
  if (typeof args["model-config"] === "string") {
    if (args.model !== undefined) throw new UsageError("give --model or --model-config, not both");
    const configPath = args["model-config"];
    const read = readModelConfigFile(configPath, process.cwd());
    if (!read.ok) throw new UsageError(`${read.message}: ${read.fix}`);
    const parsed = parseModelConfig(read.json);
    if (!parsed.ok) throw new UsageError(parsed.problems.map((p) => `${configPath}: ${p.message}`).join("\n"));
    const repo = typeof args["hf-repo"] === "string" ? args["hf-repo"] : nameOf(configPath);
    return modelSpec(repo, repo, "none", parsed.architecture);
  }
  if (typeof args.model !== "string") throw new UsageError("--model or --model-config is required");
  const model = findModel(args.model);
  if (!model) throw new UsageError(`unknown model "${args.model}": ${UNKNOWN_MODEL_FIX}, or plan its config.json with --model-config`);
  return model;
}

/** A model's name from its config's path: the folder of a `config.json` (as the Hub lays it out), else the file's name. */
function nameOf(configPath: string): string {
  const file = path.basename(configPath);
  return file === "config.json" ? path.basename(path.dirname(path.resolve(configPath))) : file.replace(/\.json$/, "");
}

/** What users act on beyond the split: the limits of this layout and the settings the server gets. */
function detailLines(plan: GpuPlan): string[] {
  const overhead = plan.overheadBytesPerGpu;
  return [
    `vLLM budget ${plan.budgetGiBPerGpu} GiB/GPU (gpuMemoryUtilization ${plan.gpuMemoryUtilization}) − weights − ` +
      `${plan.overheadGiBPerGpu} GiB: fixed ${toGiB(overhead.fixed)}, activations ${toGiB(overhead.activations)}, ` +
      `sampler ${toGiB(overhead.sampler)}, collectives ${toGiB(overhead.collectives)}, CUDA graphs ${toGiB(overhead.cudaGraphs)}` +
      (overhead.draftWeights > 0 ? `, draft weights ${toGiB(overhead.draftWeights)}` : "") +
      (overhead.lora > 0 ? `, LoRA slots ${toGiB(overhead.lora)}` : ""),
    `server flags --max-num-batched-tokens=${plan.maxNumBatchedTokens} --max-num-seqs=${plan.maxNumSeqs}` +
      (plan.servedQuantization !== "none" ? ` · weights served ${plan.servedQuantization}` : ""),
  ];
}

function layoutLines(layouts: Layout[]): string[] {
  if (layouts.length === 0) return ["  no layout in the catalog fits: lower maxModelLen or choose a smaller model"];
  return [
    "  layouts that fit, cheapest first (GPU memory bought):",
    ...layouts.map(
      (l, i) =>
        `    ${i + 1}. ${l.tensorParallel}× ${l.gpu.id} (tensorParallel ${l.tensorParallel}, quantization ${l.quantization}, ` +
        `kvCacheDtype ${l.kvCacheDtype}): ${l.totalMemoryGiB} GiB, ${l.kvCacheTokens.toLocaleString("en-US")} KV tokens ` +
        `at maxModelLen ${l.maxModelLen.toLocaleString("en-US")}`,
    ),
  ];
}

function planJson(plan: GpuPlan) {
  return {
    gpus: plan.gpusPerReplica,
    nodes: plan.nodesPerReplica,
    gpuMemoryUtilization: plan.gpuMemoryUtilization,
    maxNumBatchedTokens: plan.maxNumBatchedTokens,
    maxNumSeqs: plan.maxNumSeqs,
    weightsGiBPerGpu: plan.weightGiBPerGpu,
    overheadGiBPerGpu: plan.overheadGiBPerGpu,
    kvBytesPerToken: plan.kvBytesPerToken,
    kvBytesPerTokenPerGpu: plan.kvBytesPerTokenPerGpu,
    kvCacheGiBPerGpu: plan.kvCacheGiBPerGpu,
    kvCacheTokens: plan.kvCacheTokens,
    maxModelLen: plan.maxModelLen,
    largestMaxModelLen: plan.largestMaxModelLen,
    maxConcurrency: plan.maxConcurrency,
    typicalRequestTokens: plan.typicalRequestTokens,
    concurrencyAtTypicalLength: plan.concurrencyAtTypicalLength,
    warnings: plan.warnings,
  };
}

function layoutJson(layout: Layout) {
  return {
    gpu: layout.gpu.id,
    tensorParallel: layout.tensorParallel,
    quantization: layout.quantization,
    kvCacheDtype: layout.kvCacheDtype,
    totalMemoryGiB: layout.totalMemoryGiB,
    maxModelLen: layout.maxModelLen,
    kvCacheTokens: layout.kvCacheTokens,
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
  console.error(`plan: ${error.message}\n${USAGE}`);
  process.exitCode = 2;
}
