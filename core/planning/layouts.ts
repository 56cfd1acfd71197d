/**
 * For a model that does not fit where it was asked to run: the layouts that do, cheapest first.
 * A layout is a GPU type, a tensor-parallel size on one node, and the precision given up
 * (FP8 weights, FP8 KV cache). "Cheapest" is measured in GPU memory bought (GPUs × memory per
 * GPU), since prices differ by provider; fewer GPUs, then less precision given up, break ties.
 */
import { GPU_CATALOG, type GpuSpec } from "../catalog/gpus";
import type { KvCacheDtype, Quantization } from "../enums";
import { DEFAULT_TYPICAL_REQUEST_TOKENS, planModel, validTensorParallelSizes, type PlanInput } from "./planner";

/** GPUs per node the layouts assume at most (the largest nodes in the catalog carry eight). */
export const LAYOUT_MAX_GPUS_PER_NODE = 8;

export interface Layout {
  gpu: GpuSpec;
  tensorParallel: number;
  quantization: Quantization;
  kvCacheDtype: KvCacheDtype;
  /** GPUs × nvidia-smi memory, in GiB: the order's measure of cost. */
  totalMemoryGiB: number;
  /** The context length the layout was checked to hold. */
  maxModelLen: number;
  kvCacheTokens: number;
}

/**
 * Layouts on which the model runs with the input's context length (its maxModelLen, else one
 * typical request), one pipeline stage, ordered cheapest first. At most `limit` of them.
 */
export function fittingLayouts(input: PlanInput, limit = 5, gpus: readonly GpuSpec[] = GPU_CATALOG): Layout[] {
  const maxModelLen = input.maxModelLen ?? Math.min(input.model.maxPositions, input.typicalRequestTokens ?? DEFAULT_TYPICAL_REQUEST_TOKENS);
  const layouts: Layout[] = [];
  for (const gpu of gpus) {
    for (const tensorParallel of validTensorParallelSizes(input.model, LAYOUT_MAX_GPUS_PER_NODE)) {
      for (const quantization of precisionSteps(input.quantization)) {
        for (const kvCacheDtype of precisionSteps(input.kvCacheDtype)) {
          const result = planModel({
            ...input,
            gpu,
            tensorParallel,
            pipelineParallel: 1,
            gpusPerNode: LAYOUT_MAX_GPUS_PER_NODE,
            gpusAvailable: LAYOUT_MAX_GPUS_PER_NODE,
            maxModelLen,
            quantization,
            kvCacheDtype,
            // The release's own batch defaults for each GPU, not the ones the input chose for another.
            maxNumBatchedTokens: undefined,
            maxNumSeqs: undefined,
          });
          if (!result.ok) continue;
          layouts.push({
            gpu,
            tensorParallel,
            quantization,
            kvCacheDtype,
            totalMemoryGiB: Math.round((tensorParallel * gpu.memoryMiB) / 1024),
            maxModelLen,
            kvCacheTokens: result.plan.kvCacheTokens,
          });
        }
      }
    }
  }
  return layouts.sort(byCost).slice(0, limit);
}

/** The precision asked for, then FP8 if that is not already it. */
function precisionSteps<T extends string>(current: T): T[] {
  return current === "none" || current === "auto" ? [current, "fp8" as T] : [current];
}

function byCost(a: Layout, b: Layout): number {
  return a.totalMemoryGiB - b.totalMemoryGiB || a.tensorParallel - b.tensorParallel || compromises(a) - compromises(b);
}

function compromises(layout: Layout): number {
  return (layout.quantization === "fp8" ? 1 : 0) + (layout.kvCacheDtype === "fp8" ? 1 : 0);
}
