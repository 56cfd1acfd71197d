/**
 * The GPU planner: from a model's architecture, a GPU, the vLLM release and the parallelism
 * settings to the memory split vLLM will arrive at (weights, KV cache, tokens it can hold), or
 * to the reasons it cannot run. Pure: no I/O, no cdktf.
 */
import type { GpuSpec } from "../catalog/gpus";
import type { ModelSpec } from "../catalog/models";
import type { KvCacheDtype, Quantization } from "../enums";
import {
  COLLECTIVE_BYTES,
  CROSS_NODE_BYTES,
  CUDA_CONTEXT_BYTES,
  GIB,
  KV_BLOCK_TOKENS,
  PLANNING_MARGIN,
  activationBytesPerToken,
  cudaGraphBytes,
  loraBytesPerGpu,
  type LoraSlots,
  effectiveQuantization,
  kvBytesPerElement,
  samplerBytes,
  toGiB,
  weightBytes,
} from "./memory";
import type { VllmRelease } from "./vllm-versions";

/** Request length the concurrency figure assumes when the environment does not say. */
export const DEFAULT_TYPICAL_REQUEST_TOKENS = 4096;

export interface PlanInput {
  model: ModelSpec;
  gpu: GpuSpec;
  /** The vLLM release the image pins: its defaults and memory accounting. */
  vllm: VllmRelease;
  gpusPerNode: number;
  /** GPUs the model may use in all (the pool's nodes × GPUs per node). */
  gpusAvailable: number;
  tensorParallel: number;
  pipelineParallel: number;
  /** When absent: the model's maximum, capped to what the KV cache holds (with a warning). */
  maxModelLen?: number;
  /** When absent: the release's default. */
  gpuMemoryUtilization?: number;
  /** When absent: the release's default for this GPU. */
  maxNumBatchedTokens?: number;
  /** When absent: the release's default for this GPU. */
  maxNumSeqs?: number;
  quantization: Quantization;
  kvCacheDtype: KvCacheDtype;
  /** Tokens of a typical request (prompt and answer): the concurrency figure's unit. Default 4096. */
  typicalRequestTokens?: number;
  /** A speculative-decoding draft model: its weights and KV cache share the budget. Absent: none. */
  draft?: ModelSpec;
  /** LoRA slots reserved at start-up. Absent: LoRA off. */
  lora?: LoraSlots;
}

/** A problem with one of the model's fields, phrased so a user can act on it. */
export interface PlanProblem {
  field:
    | "tensorParallel"
    | "pipelineParallel"
    | "maxModelLen"
    | "gpuMemoryUtilization"
    | "maxNumBatchedTokens"
    | "quantization"
    | "model"
    | "speculative"
    | "lora";
  message: string;
  fix: string;
}

/** What vLLM subtracts from each GPU's budget besides the weights, in bytes. */
export interface Overhead {
  /** Non-torch memory and the fixed part of the profiling peak (the release's calibrated constant). */
  fixed: number;
  /** The profiling pass's activations at max_num_batched_tokens. */
  activations: number;
  /** The sampler's float32 logits for max_num_seqs requests. */
  sampler: number;
  /** NCCL and custom all-reduce buffers, when the replica spans GPUs (and nodes). */
  collectives: number;
  /** CUDA graphs, when the release profiles them inside the budget. */
  cudaGraphs: number;
  /** A speculative-decoding draft model's weights (split like the model by tensor parallelism). */
  draftWeights: number;
  /** LoRA adapter slots. */
  lora: number;
}

export interface GpuPlan {
  gpusPerReplica: number;
  nodesPerReplica: number;
  /** The settings the server runs with (the release's defaults where the file sets none). */
  gpuMemoryUtilization: number;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  /** The quantization the weights are served in (the flag's, else the checkpoint's own). */
  servedQuantization: Quantization;
  budgetGiBPerGpu: number;
  weightBytesPerGpu: number;
  weightGiBPerGpu: number;
  overheadBytesPerGpu: Overhead;
  overheadGiBPerGpu: number;
  /** KV cache of one token across the whole model (all layers, all ranks). */
  kvBytesPerToken: number;
  /** KV cache of one token on one GPU: its share of layers and KV heads. */
  kvBytesPerTokenPerGpu: number;
  kvCacheGiBPerGpu: number;
  /** vLLM's "GPU KV cache size: N tokens", less the planning margin. */
  kvCacheTokens: number;
  maxModelLen: number;
  /** The longest maxModelLen this layout holds: one sequence must fit the KV cache. */
  largestMaxModelLen: number;
  /** vLLM's "Maximum concurrency for N tokens per request: Cx" at maxModelLen. */
  maxConcurrency: number;
  typicalRequestTokens: number;
  /** Requests of the typical length served at once: what the KV cache holds, at most maxNumSeqs. */
  concurrencyAtTypicalLength: number;
  warnings: string[];
}

export type PlanResult = { ok: true; plan: GpuPlan } | { ok: false; problems: PlanProblem[] };

export function planModel(input: PlanInput): PlanResult {
  return plan(input, true);
}

function plan(input: PlanInput, suggest: boolean): PlanResult {
  const settings = resolvedSettings(input);
  const structural = [...checkParallelism(input), ...checkSettings(input, settings)];
  if (structural.length > 0) return { ok: false, problems: structural };

  const { model, gpu, tensorParallel: tp, pipelineParallel: pp } = input;
  const gpusPerReplica = tp * pp;
  const nodesPerReplica = Math.ceil(gpusPerReplica / input.gpusPerNode);
  const totalBytes = gpu.cudaMemoryGiB * GIB;
  const budgetBytes = totalBytes * settings.gpuMemoryUtilization;
  const weightBytesPerGpu = weightBytes(model, input.quantization) / gpusPerReplica;
  const overhead = overheadPerGpu(input, settings, gpusPerReplica, nodesPerReplica);
  const overheadBytes = sumOverhead(overhead);

  const headroom = headroomProblem(input, settings.gpuMemoryUtilization, gpusPerReplica);
  if (headroom) return { ok: false, problems: [headroom] };
  const kvBytesPerGpu = (budgetBytes - weightBytesPerGpu - overheadBytes) * (1 - PLANNING_MARGIN);
  if (kvBytesPerGpu <= 0) {
    return { ok: false, problems: [weightsDoNotFit(input, weightBytesPerGpu, budgetBytes - overheadBytes, suggest)] };
  }

  // A draft's layers keep their own KV cache in the same pool (all of them on each GPU: errs high under PP).
  const draftPerToken = input.draft ? kvBytesPerToken(input.draft, tp, input.kvCacheDtype) / tp : 0;
  const perToken = kvBytesPerToken(model, tp, input.kvCacheDtype) + draftPerToken * tp;
  const perTokenPerGpu = kvBytesPerTokenPerGpu(model, tp, pp, input.kvCacheDtype) + draftPerToken;
  const kvCacheTokens = Math.floor(kvBytesPerGpu / perTokenPerGpu / KV_BLOCK_TOKENS) * KV_BLOCK_TOKENS;
  const largestMaxModelLen = Math.min(model.maxPositions, kvCacheTokens);
  const warnings = parallelismWarnings(input, settings.servedQuantization);
  let maxModelLen = input.maxModelLen ?? model.maxPositions;
  if (kvCacheTokens < maxModelLen) {
    if (input.maxModelLen !== undefined) return { ok: false, problems: [kvCacheTooSmall(input, kvCacheTokens, suggest)] };
    maxModelLen = roundDownTo(kvCacheTokens, 1024);
    if (maxModelLen < 1024) return { ok: false, problems: [kvCacheTooSmall({ ...input, maxModelLen: 1024 }, kvCacheTokens, suggest)] };
    warnings.push(
      `maxModelLen not set: using ${maxModelLen}, the longest context the KV cache holds (the model supports ${model.maxPositions})`,
    );
  }
  const typicalRequestTokens = input.typicalRequestTokens ?? DEFAULT_TYPICAL_REQUEST_TOKENS;

  return {
    ok: true,
    plan: {
      gpusPerReplica,
      nodesPerReplica,
      ...settings,
      budgetGiBPerGpu: toGiB(budgetBytes),
      weightBytesPerGpu,
      weightGiBPerGpu: toGiB(weightBytesPerGpu),
      overheadBytesPerGpu: overhead,
      overheadGiBPerGpu: toGiB(overheadBytes),
      kvBytesPerToken: perToken,
      kvBytesPerTokenPerGpu: perTokenPerGpu,
      kvCacheGiBPerGpu: toGiB(kvBytesPerGpu),
      kvCacheTokens,
      maxModelLen,
      largestMaxModelLen,
      maxConcurrency: hundredths(kvCacheTokens / maxModelLen),
      typicalRequestTokens,
      concurrencyAtTypicalLength: Math.min(settings.maxNumSeqs, hundredths(kvCacheTokens / typicalRequestTokens)),
      warnings,
    },
  };
}

interface ResolvedSettings {
  gpuMemoryUtilization: number;
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
  servedQuantization: Quantization;
}

function resolvedSettings(input: PlanInput): ResolvedSettings {
  const defaults = input.vllm.batchDefaults(input.gpu);
  return {
    gpuMemoryUtilization: input.gpuMemoryUtilization ?? input.vllm.defaultGpuMemoryUtilization,
    maxNumBatchedTokens: input.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens,
    maxNumSeqs: input.maxNumSeqs ?? defaults.maxNumSeqs,
    servedQuantization: effectiveQuantization(input.model, input.quantization),
  };
}

function overheadPerGpu(input: PlanInput, settings: ResolvedSettings, gpusPerReplica: number, nodesPerReplica: number): Overhead {
  const { model, vllm, tensorParallel } = input;
  return {
    fixed: vllm.accounting.fixedBytes,
    activations: settings.maxNumBatchedTokens * activationBytesPerToken(model, tensorParallel),
    sampler: samplerBytes(model, settings.maxNumSeqs),
    collectives: (gpusPerReplica > 1 ? COLLECTIVE_BYTES : 0) + (nodesPerReplica > 1 ? CROSS_NODE_BYTES : 0),
    cudaGraphs: vllm.accounting.countsCudaGraphs ? cudaGraphBytes(model, gpusPerReplica) : 0,
    // vLLM loads the draft in its own dtype (the target's --quantization does not apply to it).
    draftWeights: input.draft ? weightBytes(input.draft, "none") / tensorParallel : 0,
    lora: input.lora ? loraBytesPerGpu(model, input.lora, input.pipelineParallel) : 0,
  };
}

function sumOverhead(overhead: Overhead): number {
  return (
    overhead.fixed +
    overhead.activations +
    overhead.sampler +
    overhead.collectives +
    overhead.cudaGraphs +
    overhead.draftWeights +
    overhead.lora
  );
}

/**
 * KV cache of one token across the model: 2 (K and V) × layers × KV heads × head dim × bytes.
 * Tensor parallelism splits KV heads across ranks; with more ranks than KV heads each rank
 * keeps a replica of one head, so the total grows to TP heads. MLA caches one latent per
 * layer that every rank holds in full.
 */
export function kvBytesPerToken(model: ModelSpec, tensorParallel: number, kvCacheDtype: KvCacheDtype): number {
  return kvBytesPerLayer(model, tensorParallel, kvCacheDtype) * model.layers * tensorParallel;
}

/** One GPU's share: its KV heads (or its full MLA latent) for the layers of its pipeline stage, the largest stage first. */
export function kvBytesPerTokenPerGpu(
  model: ModelSpec,
  tensorParallel: number,
  pipelineParallel: number,
  kvCacheDtype: KvCacheDtype,
): number {
  return kvBytesPerLayer(model, tensorParallel, kvCacheDtype) * Math.ceil(model.layers / pipelineParallel);
}

/** KV bytes of one token in one layer on one tensor-parallel rank. */
function kvBytesPerLayer(model: ModelSpec, tensorParallel: number, kvCacheDtype: KvCacheDtype): number {
  const bytes = kvBytesPerElement(kvCacheDtype);
  if (model.mla) return (model.mla.kvLoraRank + model.mla.qkRopeHeadDim) * bytes;
  return (2 * Math.max(model.kvHeads, tensorParallel) * model.headDim * bytes) / tensorParallel;
}

function checkParallelism(input: PlanInput): PlanProblem[] {
  const { model, gpusPerNode, gpusAvailable, tensorParallel: tp, pipelineParallel: pp } = input;
  const problems: PlanProblem[] = [];
  if (model.attentionHeads % tp !== 0) {
    problems.push({
      field: "tensorParallel",
      message: `${model.id} has ${model.attentionHeads} attention heads, which ${tp} GPUs cannot split evenly`,
      fix: `set tensorParallel to one of ${validTensorParallelSizes(model, Math.min(gpusPerNode, gpusAvailable)).join(", ")}`,
    });
  }
  if (tp > gpusPerNode) {
    problems.push({
      field: "tensorParallel",
      message: `tensorParallel ${tp} exceeds the ${gpusPerNode} GPUs of one node (tensor parallelism needs one node's interconnect)`,
      fix: `use tensorParallel ≤ ${gpusPerNode} and pipelineParallel across nodes, or a pool with more GPUs per node`,
    });
  }
  if (pp > model.layers) {
    problems.push({
      field: "pipelineParallel",
      message: `pipelineParallel ${pp} exceeds the model's ${model.layers} layers`,
      fix: `use pipelineParallel ≤ ${model.layers}`,
    });
  }
  if (tp * pp > gpusAvailable) {
    problems.push({
      field: "pipelineParallel",
      message: `tensorParallel × pipelineParallel = ${tp * pp} GPUs, but the pool has ${gpusAvailable}`,
      fix: `lower tensorParallel/pipelineParallel or add nodes to the pool`,
    });
  } else if (tp * pp > gpusPerNode && (tp * pp) % gpusPerNode !== 0) {
    problems.push({
      field: "pipelineParallel",
      message: `a replica spanning nodes must fill whole nodes: ${tp * pp} GPUs is not a multiple of ${gpusPerNode} per node`,
      fix: `choose tensorParallel × pipelineParallel as a multiple of ${gpusPerNode}`,
    });
  }
  if (input.maxModelLen !== undefined && input.maxModelLen > model.maxPositions) {
    problems.push({
      field: "maxModelLen",
      message: `maxModelLen ${input.maxModelLen} exceeds what ${model.id} supports (${model.maxPositions})`,
      fix: `set maxModelLen ≤ ${model.maxPositions}`,
    });
  }
  return problems;
}

/**
 * Settings vLLM itself would refuse: a batch smaller than the sequences in it (SchedulerConfig:
 * "max_num_batched_tokens … must be greater than or equal to max_num_seqs", vllm/config/scheduler.py),
 * and a quantization the checkpoint cannot be served in.
 */
function checkSettings(input: PlanInput, settings: ResolvedSettings): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (settings.maxNumBatchedTokens < settings.maxNumSeqs) {
    problems.push({
      field: "maxNumBatchedTokens",
      message: `maxNumBatchedTokens ${settings.maxNumBatchedTokens} is below maxNumSeqs ${settings.maxNumSeqs}: vLLM refuses a batch smaller than its sequences`,
      fix: `set maxNumBatchedTokens ≥ ${settings.maxNumSeqs}, or lower maxNumSeqs`,
    });
  }
  const checkpoint = input.model.checkpointQuantization?.method;
  if (checkpoint && input.quantization !== "none" && input.quantization !== checkpoint) {
    problems.push({
      field: "quantization",
      message: `${input.model.id} is published ${checkpoint}-quantized; vLLM refuses to serve it as ${input.quantization}`,
      fix: `remove quantization (vLLM reads the checkpoint's own ${checkpoint}) or set quantization: ${checkpoint}`,
    });
  } else if (!checkpoint && (input.quantization === "awq" || input.quantization === "gptq")) {
    problems.push({
      field: "quantization",
      message: `${input.quantization} needs a checkpoint published ${input.quantization}-quantized; ${input.model.hfRepo} has ${input.model.defaultDtype} weights`,
      fix: `use quantization: fp8 (vLLM quantizes 16-bit weights as it loads them), or serve an ${input.quantization} checkpoint described by its config.json`,
    });
  }
  return problems;
}

/**
 * Memory that must stay free above the budget: the CUDA context (vLLM refuses to start when
 * `total × util` is not free after it) and, for releases that capture CUDA graphs outside the
 * budget, the graphs.
 */
function headroomProblem(input: PlanInput, utilization: number, gpusPerReplica: number): PlanProblem | undefined {
  const { gpu, vllm } = input;
  const needed = CUDA_CONTEXT_BYTES + (vllm.accounting.countsCudaGraphs ? 0 : cudaGraphBytes(input.model, gpusPerReplica));
  const totalBytes = gpu.cudaMemoryGiB * GIB;
  if (totalBytes * (1 - utilization) >= needed) return undefined;
  const highest = Math.floor(((totalBytes - needed) / totalBytes) * 100) / 100;
  const graphs = vllm.accounting.countsCudaGraphs ? "" : ` and the CUDA graphs vLLM ${vllm.tag} captures above the budget`;
  return {
    field: "gpuMemoryUtilization",
    message:
      `gpuMemoryUtilization ${utilization} leaves ${toGiB(totalBytes * (1 - utilization))} GiB of a ${gpu.id} outside vLLM's budget, ` +
      `but the CUDA context${graphs} need ${toGiB(needed)} GiB there`,
    fix: `set gpuMemoryUtilization ≤ ${highest}`,
  };
}

/** Tensor-parallel sizes that split the attention heads evenly and fit on one node. */
export function validTensorParallelSizes(model: ModelSpec, gpusPerNode: number): number[] {
  const sizes: number[] = [];
  for (let tp = 1; tp <= gpusPerNode; tp++) if (model.attentionHeads % tp === 0) sizes.push(tp);
  return sizes;
}

function weightsDoNotFit(input: PlanInput, weightBytesPerGpu: number, availableBytes: number, suggest: boolean): PlanProblem {
  const { model, gpu } = input;
  const utilization = input.gpuMemoryUtilization ?? input.vllm.defaultGpuMemoryUtilization;
  const options = suggest
    ? fittingOptions(input, [largerTensorParallel(input), { field: "quantization", value: "fp8" }], {
        maxModelLen: input.maxModelLen ?? 1024,
      })
    : [];
  return {
    field: "model",
    message:
      `${model.id} needs ${toGiB(weightBytesPerGpu)} GiB of weights per GPU, but a ${gpu.id} has ` +
      `${toGiB(Math.max(availableBytes, 0))} GiB for weights at gpuMemoryUtilization ${utilization}`,
    fix: [...options, "a GPU with more memory (npm run plan lists the layouts that fit)"].join(", or "),
  };
}

function kvCacheTooSmall(input: PlanInput, kvCacheTokens: number, suggest: boolean): PlanProblem {
  const fitting = roundDownTo(kvCacheTokens, 1024);
  const options = suggest
    ? fittingOptions(
        input,
        [largerTensorParallel(input), { field: "kvCacheDtype", value: "fp8" }, { field: "quantization", value: "fp8" }],
        {},
      )
    : [];
  if (fitting >= 1024) options.unshift(`maxModelLen: ${fitting}`);
  return {
    field: "maxModelLen",
    message: `the KV cache holds ${kvCacheTokens} tokens, fewer than one sequence of maxModelLen ${input.maxModelLen}`,
    fix: options.length > 0 ? options.join(", or ") : "use a GPU with more memory (npm run plan lists the layouts that fit)",
  };
}

/**
 * The candidate changes that, each alone, make the model fit on this pool, as `field: value`. A
 * candidate that changes nothing (fp8 when already fp8) plans the same failing input again, and a
 * TP the pool cannot give fails the structural checks, so neither is offered.
 */
function fittingOptions(input: PlanInput, candidates: (Change | undefined)[], overrides: Partial<PlanInput>): string[] {
  return candidates.flatMap((change) => {
    if (!change) return [];
    const result = plan({ ...input, ...overrides, [change.field]: change.value }, false);
    return result.ok ? [`${change.field}: ${change.value}`] : [];
  });
}

/** A change a refusal may suggest: one field of the model in the environment file. */
type Change =
  | { field: "tensorParallel"; value: number }
  | { field: "quantization"; value: Quantization }
  | { field: "kvCacheDtype"; value: KvCacheDtype };

/** The smallest larger tensor-parallel size that fits on the pool, if any. */
function largerTensorParallel(input: PlanInput): Change | undefined {
  for (const tp of validTensorParallelSizes(input.model, input.gpusPerNode)) {
    if (tp <= input.tensorParallel) continue;
    const result = plan({ ...input, tensorParallel: tp, maxModelLen: input.maxModelLen ?? 1024 }, false);
    if (result.ok) return { field: "tensorParallel", value: tp };
  }
  return undefined;
}

function parallelismWarnings(input: PlanInput, servedQuantization: Quantization): string[] {
  const warnings: string[] = [];
  if (input.tensorParallel > 1 && !input.gpu.nvlink) {
    warnings.push(
      `tensorParallel ${input.tensorParallel} on ${input.gpu.id} runs over PCIe (no NVLink): expect slower tokens; ` +
        `pipelineParallel or replicas scale better there`,
    );
  }
  if (servedQuantization === "fp8" && !input.gpu.fp8) {
    warnings.push(`${input.gpu.id} has no FP8 tensor cores: FP8 weights run through slower weight-only kernels`);
  }
  return warnings;
}

function roundDownTo(value: number, multiple: number): number {
  return Math.floor(value / multiple) * multiple;
}

function hundredths(value: number): number {
  return Math.floor(value * 100) / 100;
}
