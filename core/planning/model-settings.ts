import type { ModelConfig } from "../schema/model";
import type { PlanInput } from "./planner";

/** The plan inputs an environment file sets per model; the hardware side comes from the pool. */
export function modelPlanSettings(
  model: ModelConfig,
): Pick<
  PlanInput,
  | "tensorParallel"
  | "pipelineParallel"
  | "maxModelLen"
  | "gpuMemoryUtilization"
  | "maxNumBatchedTokens"
  | "maxNumSeqs"
  | "quantization"
  | "kvCacheDtype"
  | "typicalRequestTokens"
> {
  return {
    tensorParallel: model.tensorParallel,
    pipelineParallel: model.pipelineParallel,
    maxModelLen: model.maxModelLen,
    gpuMemoryUtilization: model.gpuMemoryUtilization,
    maxNumBatchedTokens: model.maxNumBatchedTokens,
    maxNumSeqs: model.maxNumSeqs,
    quantization: model.quantization,
    kvCacheDtype: model.kvCacheDtype,
    typicalRequestTokens: model.typicalRequestTokens,
  };
}
