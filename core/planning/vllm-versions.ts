/**
 * The vLLM releases whose memory accounting the planner knows, declared once: the image tag an
 * environment pins selects one, and the planner refuses a tag that is not here (it would be
 * guessing at defaults and accounting that change between releases).
 *
 * Sources (read 2026-11-26):
 * - vLLM source history through main @ 455edc022b45 (2026-08-17), read in the fork snapshot
 *   ivanium/vllm, which carries upstream's commits and PR numbers.
 * - Start-up logs of v0.10.1.1 (dennislee22/vLLM-benchmarking, log/*.log, 2025-09) and v0.29.0
 *   (samilazrak/vllm-optimization-lab, results/raw/*.startup.log, 2026-09): the calibration rows
 *   of docs/planner.md.
 */
import type { GpuSpec } from "../catalog/gpus";
import { GIB } from "./memory";

/** What a release subtracts from `gpu_memory_utilization × total` besides weights and activations. */
export interface VllmAccounting {
  /**
   * Per GPU, independent of the model: memory allocated outside PyTorch after vLLM's baseline
   * snapshot (cuBLAS workspaces, loaded kernels) plus the fixed part of the profiling pass's
   * peak (sampler and attention workspaces, the model runner's persistent buffers). Calibrated
   * on the release's logged start-ups; see docs/planner.md.
   */
  fixedBytes: number;
  /** vLLM profiles CUDA-graph memory inside the budget (default since v0.21.0). */
  countsCudaGraphs: boolean;
}

export interface VllmRelease {
  /** Image tag of vllm/vllm-openai, e.g. `v0.29.0`. */
  tag: string;
  /** `--gpu-memory-utilization` when the flag is not given. */
  defaultGpuMemoryUtilization: number;
  accounting: VllmAccounting;
  /** `--max-num-batched-tokens` and `--max-num-seqs` of the OpenAI server when not given. */
  batchDefaults: (gpu: GpuSpec) => BatchSettings;
}

export interface BatchSettings {
  maxNumBatchedTokens: number;
  maxNumSeqs: number;
}

/**
 * `EngineArgs._set_default_args_v1` (vllm/engine/arg_utils.py @ c6d80a7a9, 2025-08-20, and
 * @ f9e714813, 2025-10-01): OPENAI_API_SERVER gets 8192 tokens / 1024 sequences on a GPU with
 * at least 70 GiB that is not an A100 ("reduces throughput, see PR #17885"), else 2048 / 256.
 * The memory compared is what CUDA reports (`get_device_total_memory`).
 */
function v1BatchDefaults(gpu: GpuSpec): BatchSettings {
  const large = gpu.cudaMemoryGiB >= 70 && !gpu.id.startsWith("A100");
  return large ? { maxNumBatchedTokens: 8192, maxNumSeqs: 1024 } : { maxNumBatchedTokens: 2048, maxNumSeqs: 256 };
}

/**
 * `EngineArgs.get_batch_defaults` (arg_utils.py @ 455edc022b45, 2026-08-17): PR #51726
 * (2026-08-11) added a tier for GPUs with at least 160 GiB (B200/B300) of 16384 tokens and 1024
 * sequences; the rest is unchanged.
 */
function v29BatchDefaults(gpu: GpuSpec): BatchSettings {
  if (gpu.cudaMemoryGiB >= 160) return { maxNumBatchedTokens: 16384, maxNumSeqs: 1024 };
  return v1BatchDefaults(gpu);
}

/**
 * v0.10 and v0.11 (V1 engine): `requested_memory = total × util`, minus the weights, the torch
 * peak of the profiling pass and the non-torch growth since the snapshot taken in
 * `init_device` (gpu_worker.py). CUDA graphs are captured afterwards, above the budget: the
 * logs show 0.50 GiB (7B, one GPU) and 0.65 GiB (TP 2). Before PR #25359 (2025-09-23, in
 * v0.11.0) NCCL was initialised after that snapshot, so its buffers were subtracted too.
 */
const V1_ACCOUNTING: VllmAccounting = { fixedBytes: 0.2 * GIB, countsCudaGraphs: false };

export const VLLM_RELEASES: readonly VllmRelease[] = [
  {
    tag: "v0.10.1.1",
    // vllm/config.py @ c6d80a7a9: CacheConfig.gpu_memory_utilization = 0.9.
    defaultGpuMemoryUtilization: 0.9,
    accounting: V1_ACCOUNTING,
    batchDefaults: v1BatchDefaults,
  },
  {
    tag: "v0.11.0",
    // vllm/config/cache.py @ f9e714813 (2025-10-01): gpu_memory_utilization = 0.9.
    defaultGpuMemoryUtilization: 0.9,
    // Same profiling code as v0.10.1.1 (determine_available_memory diff: only the new
    // kv_cache_memory_bytes branch); not calibrated on a log of its own.
    accounting: V1_ACCOUNTING,
    batchDefaults: v1BatchDefaults,
  },
  {
    tag: "v0.29.0",
    // PR #38284 (96a85c575, 2026-04-21) "Enable CUDAGraph memory profiling by default" moved the
    // default to 0.92 (vllm/config/cache.py) and subtracts the graphs' estimated memory; the
    // worker logs "CUDA graph memory profiling is enabled (default since v0.21.0)".
    defaultGpuMemoryUtilization: 0.92,
    // 0.29 GiB non-torch memory (the v0.29.0 log: "9.73 GiB for consumed memory (weights +
    // non-torch)" with 9.44 GiB of weights) plus 0.99 GiB of fixed profiling peak, calibrated on
    // rows C4 and C5 (Qwen3-14B on an L40S).
    accounting: { fixedBytes: 0.29 * GIB + 0.99 * GIB, countsCudaGraphs: true },
    batchDefaults: v29BatchDefaults,
  },
];

/** The release the kit's own environments pin: the newest the planner knows. */
export const PINNED_VLLM_TAG = "v0.29.0";

export const KNOWN_VLLM_TAGS = VLLM_RELEASES.map((release) => release.tag);

export function findVllmRelease(tag: string): VllmRelease | undefined {
  return VLLM_RELEASES.find((release) => release.tag === tag);
}

/** Why a tag is refused, phrased for the `image.tag` field. */
export function unknownVllmTagFix(): string {
  return `pin one of the vLLM releases the planner knows: ${KNOWN_VLLM_TAGS.join(", ")}`;
}
