/**
 * The planner checked in the field: vLLM's own KV-cache size, read from its
 * `vllm:cache_config_info` info gauge (labels `block_size`, `num_gpu_blocks`; one series per
 * engine), next to what core/planning/planner.ts predicted for the model. Every deployment is a
 * data point for the planner's arithmetic (docs/operations.md says how to send one back).
 */
import type { Sample } from "./prometheus-text";

export const CACHE_CONFIG_METRIC = "vllm:cache_config_info";

export interface LiveKvCache {
  blockSize: number;
  numGpuBlocks: number;
  /** blockSize × numGpuBlocks: what vLLM logs as "GPU KV cache size: N tokens". */
  tokens: number;
  /** Engines reporting (data-parallel engines of one server); the first one is used. */
  engines: number;
}

/** The live KV cache from the samples of one scrape, or a reason it cannot be read. */
export function liveKvCache(samples: readonly Sample[]): LiveKvCache | { missing: string } {
  const info = samples.filter((s) => s.name === CACHE_CONFIG_METRIC);
  if (info.length === 0) return { missing: `${CACHE_CONFIG_METRIC} is not among the metrics (vLLM older than the V1 engine?)` };
  const blockSize = Number(info[0].labels.block_size);
  const numGpuBlocks = Number(info[0].labels.num_gpu_blocks);
  if (!Number.isInteger(blockSize) || !Number.isInteger(numGpuBlocks) || blockSize <= 0 || numGpuBlocks <= 0) {
    return {
      missing: `${CACHE_CONFIG_METRIC} has no usable block_size and num_gpu_blocks (got "${info[0].labels.block_size}", "${info[0].labels.num_gpu_blocks}")`,
    };
  }
  return { blockSize, numGpuBlocks, tokens: blockSize * numGpuBlocks, engines: info.length };
}

export interface Calibration {
  liveTokens: number;
  predictedTokens: number;
  /** (predicted − live) ÷ live, in percent: positive when the planner promised more than vLLM found. */
  errorPercent: number;
}

export function calibrate(live: LiveKvCache, predictedTokens: number): Calibration {
  const errorPercent = Math.round(((predictedTokens - live.tokens) / live.tokens) * 1000) / 10;
  return { liveTokens: live.tokens, predictedTokens, errorPercent };
}

/** Beyond this the planner's figure is off enough that a deployment might not fit: warn. */
export const CALIBRATION_WARN_PERCENT = 10;
