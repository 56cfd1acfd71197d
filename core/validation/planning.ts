/** Each model planned on its pool's GPUs; a model that cannot run there is reported with the fix. */
import type { ModelSpec } from "../catalog/models";
import type { ConfigIssue } from "../errors";
import { modelPlanSettings } from "../planning/model-settings";
import { planModel, type GpuPlan } from "../planning/planner";
import type { VllmRelease } from "../planning/vllm-versions";
import type { ModelConfig } from "../schema/model";
import type { ResolvedGpuPool } from "./gpu-pools";
import type { PlanningContext } from "./planning-context";
import { resolveServingOptions, type ServingOptions } from "./serving-options";

/** A model planned on its pool, before the target narrows the pool. */
export interface ModelOnPool {
  /** Position in `models`, for field paths. */
  index: number;
  config: ModelConfig;
  spec: ModelSpec;
  pool: ResolvedGpuPool;
  plan: GpuPlan;
  serving: ServingOptions;
}

export interface Planning {
  /** The models that fit, in the file's order. */
  models: ModelOnPool[];
  issues: ConfigIssue[];
  warnings: string[];
}

export function planModels(
  file: string,
  models: ModelConfig[],
  modelPools: ResolvedGpuPool[],
  skip: ReadonlySet<number>,
  context: PlanningContext,
): Planning {
  const planning: Planning = { models: [], issues: [], warnings: [] };
  const { vllm } = context;
  models.forEach((model, index) => {
    const spec = context.specs[index];
    // An unknown model or vLLM release is reported by the planning context: nothing to plan then.
    if (skip.has(index) || !spec) return;
    const at = `models[${index}]`;
    planning.issues.push(...fimIssues(file, at, model, spec));
    const serving = resolveServingOptions(file, at, model, spec, vllm);
    if (!serving.ok) planning.issues.push(...serving.issues);
    if (!vllm || !serving.ok) return;
    const planned = planOne(file, at, { index, model, spec, pool: modelPools[index], vllm, serving: serving.options }, planning.issues);
    if (planned) {
      planning.models.push(planned);
      planning.warnings.push(...planned.plan.warnings.map((w) => `${at} (${model.servedName}): ${w}`));
    }
  });
  return planning;
}

interface ModelToPlan {
  index: number;
  model: ModelConfig;
  spec: ModelSpec;
  pool: ResolvedGpuPool;
  vllm: VllmRelease;
  serving: ServingOptions;
}

/** A model serving inline completions needs a fill-in-the-middle template. */
function fimIssues(file: string, at: string, model: ModelConfig, spec: ModelSpec): ConfigIssue[] {
  if (model.role === "chat" || spec.fimTemplate !== "none") return [];
  return [
    {
      file,
      field: `${at}.role`,
      message: `${spec.id} has no fill-in-the-middle template, so it cannot serve inline completions (role "${model.role}")`,
      fix: `set role: chat, or serve a FIM model (Qwen2.5-Coder or Qwen3-Coder, StarCoder2, DeepSeek-Coder, Codestral) for completions`,
    },
  ];
}

function planOne(
  file: string,
  at: string,
  { index, model, spec, pool, vllm, serving }: ModelToPlan,
  issues: ConfigIssue[],
): ModelOnPool | undefined {
  const { gpusPerNode, nodes } = pool.pool;
  const result = planModel({
    model: spec,
    gpu: pool.gpu,
    vllm,
    gpusPerNode,
    gpusAvailable: gpusPerNode * nodes,
    ...modelPlanSettings(model),
    ...(serving.speculative?.method === "draft" ? { draft: serving.speculative.draft } : {}),
    ...(serving.lora ? { lora: { maxRank: serving.lora.maxRank, maxLoras: serving.lora.maxLoras } } : {}),
  });
  if (!result.ok) {
    issues.push(...result.problems.map((p) => ({ file, field: `${at}.${p.field}`, message: p.message, fix: p.fix })));
    return undefined;
  }
  return { index, config: model, spec, pool, plan: result.plan, serving };
}
