/**
 * Byte sizes the planner reasons with. Documented in docs/planner.md: change both together.
 */
import type { KvCacheDtype, Quantization } from "../enums";

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** vLLM allocates the KV cache in blocks of 16 tokens (CUDA default --block-size). */
export const KV_BLOCK_TOKENS = 16;

/** CUDA context, NCCL buffers, cuBLAS workspaces and captured CUDA graphs, per GPU. */
export const FIXED_OVERHEAD_BYTES = 1 * GIB;

/**
 * Peak activations of vLLM's profiling forward pass: max_num_batched_tokens tokens,
 * each holding about this many hidden-sized 16-bit buffers at the peak (residual, norms,
 * QKV, attention output, MLP gate/up). Errs high on purpose.
 */
export const ACTIVATION_TOKENS = 8192;
export const ACTIVATION_HIDDEN_BUFFERS = 12;

/**
 * Bytes per weight. Unquantized weights load in 16 bits: vLLM's `--dtype auto` serves
 * float32 checkpoints in float16 and bfloat16 ones in bfloat16.
 */
export function weightBytesPerParameter(quantization: Quantization): number {
  switch (quantization) {
    case "awq":
    case "gptq":
      return 4.25 / 8; // 4-bit weights plus a 16-bit scale and zero point per group of 128
    case "fp8":
      return 1;
    case "none":
      return 2;
  }
}

/** The KV cache follows the 16-bit model dtype unless --kv-cache-dtype fp8 halves it. */
export function kvBytesPerElement(kvCacheDtype: KvCacheDtype): number {
  return kvCacheDtype === "fp8" ? 1 : 2;
}

export function toGiB(bytes: number): number {
  return Math.round((bytes / GIB) * 100) / 100;
}
