/**
 * What vLLM subtracts from `gpu_memory_utilization × total` before the KV cache, term by term,
 * as functions of the model and the settings. Documented (with the calibration) in
 * docs/planner.md: change both together.
 */
import type { ModelArchitecture } from "../model-config";
import { embeddingParameters } from "../model-config";
import type { KvCacheDtype, Quantization } from "../enums";

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** vLLM allocates the KV cache in blocks of 16 tokens (CUDA default --block-size). */
export const KV_BLOCK_TOKENS = 16;

/**
 * The planner keeps this share of the modelled KV cache back: the terms below are calibrated on
 * six start-ups of two model families, so other models and GPUs may need a little more.
 */
export const PLANNING_MARGIN = 0.02;

/**
 * CUDA context and PyTorch's start-up allocations, present before vLLM's memory snapshot and so
 * outside its budget: vLLM refuses to start unless `total × util` is still free after them. The
 * v0.29.0 log shows 0.42 GiB in use at start-up on an L40S ("Free memory on device (43.97/44.39 GiB)").
 */
export const CUDA_CONTEXT_BYTES = 0.5 * GIB;

/**
 * Collective-communication buffers per GPU when a replica spans GPUs (TP·PP > 1): NCCL's, fitted
 * on row C3 (two A100s whose custom all-reduce was off for lack of P2P: 0.20 GiB), plus the
 * custom all-reduce buffers (meta + buffer + rank data, 8 MiB each: `CustomAllreduce(max_size=8192 * 1024)`
 * in vllm/distributed/device_communicators/custom_all_reduce.py).
 */
export const COLLECTIVE_BYTES = 0.2 * GIB + 24 * MIB;

/**
 * NCCL over the network when a replica spans nodes: the two-node v0.10.1.1 log of the same
 * 7B model on A100 40GB (dennislee22/vLLM-benchmarking, vllm-7B-2gpuA10040GB-0.5GRAM-diff-nodes.log)
 * left 0.93 GiB less per GPU than the single-node TP 2 rows.
 */
export const CROSS_NODE_BYTES = 1 * GIB;

/**
 * CUDA-graph memory of one GPU: a fixed pool plus per piece (vLLM splits the graph at each
 * attention layer, so pieces grow with the layers), and the all-reduce buffers registered for
 * the graphs at TP > 1. Fits at or above every figure logged: 0.50 GiB (Qwen2-7B, 28 layers) and
 * 0.65 GiB (its TP 2) captured by v0.10.1.1; 0.51, 0.54 and 0.60 GiB estimated by v0.29.0 for
 * Qwen3-14B (40 layers).
 */
export function cudaGraphBytes(arch: Pick<ModelArchitecture, "layers">, gpusPerReplica: number): number {
  return 256 * MIB + (arch.layers + 1) * 9 * MIB + (gpusPerReplica > 1 ? 160 * MIB : 0);
}

/**
 * Peak activations of the profiling pass, per token of `max_num_batched_tokens`, on one GPU:
 * the MLP's gate/up output and activation (3 × intermediate, split by TP; for MoE the
 * experts a token visits) and four hidden-size buffers (residual, norm output, attention
 * input and output), in 16 bits. Errs high: the logs show 59 KB per extra token for Qwen3-14B
 * (v0.29.0, rows C5→C6) where this gives 145 KB.
 */
export function activationBytesPerToken(arch: ModelArchitecture, tensorParallel: number): number {
  return 2 * ((3 * mlpWidthPerToken(arch)) / tensorParallel + 4 * arch.hiddenSize);
}

/** The widest MLP a token passes through: the dense one, or the experts it visits plus the shared ones. */
function mlpWidthPerToken(arch: ModelArchitecture): number {
  const { moe } = arch;
  if (!moe) return arch.intermediateSize;
  const experts = moe.expertsPerToken * moe.expertIntermediateSize + moe.sharedIntermediateSize;
  return moe.denseLayers > 0 ? Math.max(experts, arch.intermediateSize) : experts;
}

/**
 * The sampler's share of the profiling pass: logits of `max_num_seqs` requests over the whole
 * vocabulary in float32 (`logits.to(torch.float32)` in vllm/v1/sample/sampler.py; each TP rank
 * samples the full vocabulary).
 */
export function samplerBytes(arch: Pick<ModelArchitecture, "vocabSize">, maxNumSeqs: number): number {
  return maxNumSeqs * arch.vocabSize * 4;
}

/**
 * Bytes per quantized weight: 4-bit AWQ/GPTQ store a 16-bit scale and a zero point per group of
 * 128 (4 + 32/128 bits); 8-bit GPTQ likewise; FP8 one byte (its per-tensor scales are negligible).
 */
function quantizedBytesPerWeight(bits: number): number {
  return (bits + 32 / 128) / 8;
}

/** The quantization the weights are served in: the flag's, else the checkpoint's own. */
export function effectiveQuantization(arch: ModelArchitecture, quantization: Quantization): Quantization {
  return quantization !== "none" ? quantization : (arch.checkpointQuantization?.method ?? "none");
}

/**
 * Weights of the whole model, in bytes. Unquantized weights load in 16 bits (vLLM's `--dtype
 * auto` serves float32 checkpoints in 16 bits). Quantized checkpoints keep the embeddings and
 * the output projection in 16 bits: for Qwen3-14B-AWQ this gives 9.44 GiB, as vLLM logs it
 * (row C5).
 */
export function weightBytes(arch: ModelArchitecture & { parameters: number }, quantization: Quantization): number {
  const total = arch.parameters;
  const served = effectiveQuantization(arch, quantization);
  if (served === "none") return total * 2;
  const perWeight = served === "fp8" ? 1 : quantizedBytesPerWeight(arch.checkpointQuantization?.bits ?? 4);
  const embeddings = embeddingParameters(arch);
  return (total - embeddings) * perWeight + embeddings * 2;
}

/** The KV cache follows the 16-bit model dtype unless --kv-cache-dtype fp8 halves it. */
export function kvBytesPerElement(kvCacheDtype: KvCacheDtype): number {
  return kvCacheDtype === "fp8" ? 1 : 2;
}

export function toGiB(bytes: number): number {
  return Math.round((bytes / GIB) * 100) / 100;
}

/** The LoRA slots vLLM reserves on the GPU: `max_loras` adapters of rank `max_lora_rank`. */
export interface LoraSlots {
  maxRank: number;
  maxLoras: number;
}

/**
 * LoRA weights vLLM allocates at start-up on one GPU: for every linear layer it wraps (attention
 * projections, MLP and every MoE expert), `max_loras` slots of A (rank × in) and B (out × rank) at
 * `max_lora_rank`, in the 16-bit model dtype (`lora_dtype: auto`). Errs high: counted in full on
 * every tensor-parallel rank (vLLM shards half of each pair), for the layers of the largest
 * pipeline stage. The embeddings and output projection are not wrapped by default.
 */
export function loraBytesPerGpu(arch: ModelArchitecture, slots: LoraSlots, pipelineParallel: number): number {
  const perLayer: number[] = [];
  for (let layer = 0; layer < arch.layers; layer++) perLayer.push(attentionLoraWidth(arch) + mlpLoraWidth(arch, layer));
  const widest = [...perLayer].sort((a, b) => b - a);
  const stageLayers = Math.ceil(arch.layers / pipelineParallel);
  const width = widest.slice(0, stageLayers).reduce((sum, w) => sum + w, 0);
  return width * slots.maxRank * slots.maxLoras * 2;
}

/** Σ (in + out) over a layer's attention projections. */
function attentionLoraWidth(arch: ModelArchitecture): number {
  const h = arch.hiddenSize;
  if (arch.mla) {
    const { kvLoraRank, qkRopeHeadDim, qkNopeHeadDim, vHeadDim, qLoraRank } = arch.mla;
    const qOut = arch.attentionHeads * (qkNopeHeadDim + qkRopeHeadDim);
    const q = qLoraRank === undefined ? h + qOut : h + qLoraRank + qLoraRank + qOut;
    const kvA = h + kvLoraRank + qkRopeHeadDim;
    const kvB = kvLoraRank + arch.attentionHeads * (qkNopeHeadDim + vHeadDim);
    return q + kvA + kvB + arch.attentionHeads * vHeadDim + h;
  }
  const q = arch.attentionHeads * arch.headDim;
  const kv = arch.kvHeads * arch.headDim;
  return h + (q + 2 * kv) + (q + h);
}

/** Σ (in + out) over a layer's MLP projections: gate+up and down, per expert for MoE layers. */
function mlpLoraWidth(arch: ModelArchitecture, layer: number): number {
  const h = arch.hiddenSize;
  const mlp = (i: number, gated: boolean) => h + (gated ? 2 : 1) * i + (i + h);
  const { moe } = arch;
  if (moe && layer >= moe.denseLayers) {
    return (
      moe.experts * mlp(moe.expertIntermediateSize, true) + (moe.sharedIntermediateSize > 0 ? mlp(moe.sharedIntermediateSize, true) : 0)
    );
  }
  return mlp(arch.intermediateSize, arch.gatedMlp);
}
