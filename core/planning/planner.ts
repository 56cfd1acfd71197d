/**
 * The GPU planner: from a model's architecture, a GPU and the parallelism settings to the
 * memory split vLLM will arrive at (weights, KV cache, tokens it can hold), or to the
 * reasons it cannot run. Pure: no I/O, no cdktf.
 */
import type { GpuSpec } from "../catalog/gpus";
import type { ModelSpec } from "../catalog/models";
import type { KvCacheDtype, Quantization } from "../enums";
import {
  ACTIVATION_HIDDEN_BUFFERS,
  ACTIVATION_TOKENS,
  FIXED_OVERHEAD_BYTES,
  KV_BLOCK_TOKENS,
  MIB,
  kvBytesPerElement,
  toGiB,
  weightBytesPerParameter,
} from "./memory";

export interface PlanInput {
  model: ModelSpec;
  gpu: GpuSpec;
  gpusPerNode: number;
  /** GPUs the model may use in all (the pool's nodes × GPUs per node). */
  gpusAvailable: number;
  tensorParallel: number;
  pipelineParallel: number;
  /** When absent: the model's maximum, capped to what the KV cache holds (with a warning). */
  maxModelLen?: number;
  gpuMemoryUtilization: number;
  quantization: Quantization;
  kvCacheDtype: KvCacheDtype;
}

/** A problem with one of the model's fields, phrased so a user can act on it. */
export interface PlanProblem {
  field: "tensorParallel" | "pipelineParallel" | "maxModelLen" | "gpuMemoryUtilization" | "quantization" | "model";
  message: string;
  fix: string;
}

export interface GpuPlan {
  gpusPerReplica: number;
  nodesPerReplica: number;
  weightBytesPerGpu: number;
  weightGiBPerGpu: number;
  /** KV cache of one token across the whole model (all layers, all ranks). */
  kvBytesPerToken: number;
  /** KV cache of one token on one GPU: its share of layers and KV heads. */
  kvBytesPerTokenPerGpu: number;
  overheadGiBPerGpu: number;
  kvCacheGiBPerGpu: number;
  /** vLLM's "GPU KV cache size: N tokens". */
  kvCacheTokens: number;
  maxModelLen: number;
  /** vLLM's "Maximum concurrency for N tokens per request: Cx". */
  maxConcurrency: number;
  warnings: string[];
}

export type PlanResult = { ok: true; plan: GpuPlan } | { ok: false; problems: PlanProblem[] };

export function planModel(input: PlanInput): PlanResult {
  const structural = checkParallelism(input);
  if (structural.length > 0) return { ok: false, problems: structural };

  const { model, gpu, tensorParallel: tp, pipelineParallel: pp } = input;
  const gpusPerReplica = tp * pp;
  const weightBytesPerGpu = weightBytes(model, input.quantization) / gpusPerReplica;
  const overheadBytes = overheadBytesPerGpu(model, tp);
  const budgetBytes = gpu.memoryMiB * MIB * input.gpuMemoryUtilization;
  const kvBytesPerGpu = budgetBytes - weightBytesPerGpu - overheadBytes;
  const perToken = kvBytesPerToken(model, tp, input.kvCacheDtype);
  const perTokenPerGpu = perToken / gpusPerReplica;

  if (kvBytesPerGpu <= 0) {
    return { ok: false, problems: [weightsDoNotFit(input, weightBytesPerGpu, budgetBytes - overheadBytes)] };
  }

  const kvCacheTokens = Math.floor(kvBytesPerGpu / perTokenPerGpu / KV_BLOCK_TOKENS) * KV_BLOCK_TOKENS;
  const warnings = parallelismWarnings(input);
  let maxModelLen = input.maxModelLen ?? model.maxPositions;
  if (kvCacheTokens < maxModelLen) {
    if (input.maxModelLen !== undefined) {
      return { ok: false, problems: [kvCacheTooSmall(input, kvCacheTokens)] };
    }
    maxModelLen = roundDownTo(kvCacheTokens, 1024);
    if (maxModelLen < 1024) return { ok: false, problems: [kvCacheTooSmall({ ...input, maxModelLen: 1024 }, kvCacheTokens)] };
    warnings.push(
      `maxModelLen not set: using ${maxModelLen}, the longest context the KV cache holds (the model supports ${model.maxPositions})`,
    );
  }

  return {
    ok: true,
    plan: {
      gpusPerReplica,
      nodesPerReplica: Math.ceil(gpusPerReplica / input.gpusPerNode),
      weightBytesPerGpu,
      weightGiBPerGpu: toGiB(weightBytesPerGpu),
      kvBytesPerToken: perToken,
      kvBytesPerTokenPerGpu: perTokenPerGpu,
      overheadGiBPerGpu: toGiB(overheadBytes),
      kvCacheGiBPerGpu: toGiB(kvBytesPerGpu),
      kvCacheTokens,
      maxModelLen,
      maxConcurrency: Math.floor((kvCacheTokens / maxModelLen) * 100) / 100,
      warnings,
    },
  };
}

/** Weights of the whole model, in bytes. */
export function weightBytes(model: ModelSpec, quantization: PlanInput["quantization"]): number {
  return model.parametersB * 1e9 * weightBytesPerParameter(quantization);
}

/**
 * KV cache of one token across the model: 2 (K and V) × layers × KV heads × head dim × bytes.
 * Tensor parallelism splits KV heads across ranks; with more ranks than KV heads each rank
 * keeps a replica of one head, so the total grows to TP heads. MLA caches one latent per
 * layer that every rank holds in full.
 */
export function kvBytesPerToken(model: ModelSpec, tensorParallel: number, kvCacheDtype: PlanInput["kvCacheDtype"]): number {
  const bytes = kvBytesPerElement(kvCacheDtype);
  if (model.mla) {
    return model.layers * (model.mla.kvLoraRank + model.mla.qkRopeHeadDim) * bytes * tensorParallel;
  }
  const kvHeads = Math.max(model.kvHeads, tensorParallel);
  return 2 * model.layers * kvHeads * model.headDim * bytes;
}

export function overheadBytesPerGpu(model: ModelSpec, tensorParallel: number): number {
  return FIXED_OVERHEAD_BYTES + (ACTIVATION_TOKENS * model.hiddenSize * 2 * ACTIVATION_HIDDEN_BUFFERS) / tensorParallel;
}

function checkParallelism(input: PlanInput): PlanProblem[] {
  const { model, gpusPerNode, gpusAvailable, tensorParallel: tp, pipelineParallel: pp } = input;
  const problems: PlanProblem[] = [];
  const validTps = validTensorParallelSizes(model, gpusPerNode);
  if (model.attentionHeads % tp !== 0) {
    problems.push({
      field: "tensorParallel",
      message: `${model.id} has ${model.attentionHeads} attention heads, which ${tp} GPUs cannot split evenly`,
      fix: `set tensorParallel to one of ${validTps.join(", ")}`,
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

/** Tensor-parallel sizes that split the attention heads evenly and fit on one node. */
export function validTensorParallelSizes(model: ModelSpec, gpusPerNode: number): number[] {
  const sizes: number[] = [];
  for (let tp = 1; tp <= gpusPerNode; tp++) if (model.attentionHeads % tp === 0) sizes.push(tp);
  return sizes;
}

function weightsDoNotFit(input: PlanInput, weightBytesPerGpu: number, availableBytes: number): PlanProblem {
  const { model, gpu } = input;
  const fittingTp = smallestFittingTp(input);
  const options = [
    fittingTp ? `tensorParallel: ${fittingTp}` : undefined,
    input.quantization === "none" ? "a quantized checkpoint (quantization: awq or fp8)" : undefined,
    "a GPU with more memory",
  ].filter(Boolean);
  return {
    field: "model",
    message:
      `${model.id} needs ${toGiB(weightBytesPerGpu)} GiB of weights per GPU, but a ${gpu.id} has ` +
      `${toGiB(Math.max(availableBytes, 0))} GiB for weights at gpuMemoryUtilization ${input.gpuMemoryUtilization}`,
    fix: `use ${options.join(", or ")}`,
  };
}

function kvCacheTooSmall(input: PlanInput, kvCacheTokens: number): PlanProblem {
  const fitting = roundDownTo(kvCacheTokens, 1024);
  const fittingTp = smallestFittingTp(input);
  const options = [
    fitting >= 1024 ? `maxModelLen: ${fitting}` : undefined,
    fittingTp ? `tensorParallel: ${fittingTp}` : undefined,
    input.kvCacheDtype === "auto" ? "kvCacheDtype: fp8" : undefined,
  ].filter(Boolean);
  return {
    field: "maxModelLen",
    message: `the KV cache holds ${kvCacheTokens} tokens, fewer than one sequence of maxModelLen ${input.maxModelLen}`,
    fix: options.length > 0 ? `use ${options.join(", or ")}` : "use a GPU with more memory",
  };
}

/** The smallest larger TP (on one node) with which the model runs at its requested length. */
function smallestFittingTp(input: PlanInput): number | undefined {
  for (const tp of validTensorParallelSizes(input.model, input.gpusPerNode)) {
    if (tp <= input.tensorParallel || tp * input.pipelineParallel > input.gpusAvailable) continue;
    const result = planModel({ ...input, tensorParallel: tp, maxModelLen: input.maxModelLen ?? 1024 });
    if (result.ok) return tp;
  }
  return undefined;
}

function parallelismWarnings(input: PlanInput): string[] {
  const warnings: string[] = [];
  if (input.tensorParallel > 1 && !input.gpu.nvlink) {
    warnings.push(
      `tensorParallel ${input.tensorParallel} on ${input.gpu.id} runs over PCIe (no NVLink): expect slower tokens; ` +
        `pipelineParallel or replicas scale better there`,
    );
  }
  if (input.quantization === "fp8" && !input.gpu.fp8) {
    warnings.push(`${input.gpu.id} has no FP8 tensor cores: FP8 weights run through slower weight-only kernels`);
  }
  return warnings;
}

function roundDownTo(value: number, multiple: number): number {
  return Math.floor(value / multiple) * multiple;
}
