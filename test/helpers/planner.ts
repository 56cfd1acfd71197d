/**
 * Catalog look-ups and one planner input for the planner's tests: unless a test says otherwise,
 * Qwen2.5-Coder-7B on one L4 at an 8k context with vLLM v0.29.0 (named, not the pin, so that a
 * new pin does not move every expected figure at once).
 */
import { findGpu, type GpuSpec } from "../../core/catalog/gpus";
import { findModel, type ModelSpec } from "../../core/catalog/models";
import { planModel, type GpuPlan, type PlanInput, type PlanProblem } from "../../core/planning/planner";
import { findVllmRelease, type VllmRelease } from "../../core/planning/vllm-versions";

export function catalogModel(id: string): ModelSpec {
  const model = findModel(id);
  if (!model) throw new Error(`no catalog model ${id}`);
  return model;
}

export function catalogGpu(id: string): GpuSpec {
  const gpu = findGpu(id);
  if (!gpu) throw new Error(`no catalog GPU ${id}`);
  return gpu;
}

export function vllmRelease(tag: string): VllmRelease {
  const release = findVllmRelease(tag);
  if (!release) throw new Error(`no known vLLM release ${tag}`);
  return release;
}

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    model: catalogModel("qwen2.5-coder-7b-instruct"),
    gpu: catalogGpu("L4"),
    vllm: vllmRelease("v0.29.0"),
    gpusPerNode: 1,
    gpusAvailable: 1,
    tensorParallel: 1,
    pipelineParallel: 1,
    maxModelLen: 8192,
    quantization: "none",
    kvCacheDtype: "auto",
    ...overrides,
  };
}

/** The plan for `input`; a refusal fails the test with the planner's problems. */
export function planned(input: PlanInput): GpuPlan {
  const result = planModel(input);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.problems)}`);
  return result.plan;
}

/** The planner's problems with `input`; a plan fails the test. */
export function refused(input: PlanInput): PlanProblem[] {
  const result = planModel(input);
  if (result.ok) throw new Error("expected the plan to fail");
  return result.problems;
}
