/** Each model planned on its pool's GPUs; a model that cannot run there is reported with the fix. */
import type { ModelSpec } from "../catalog/models";
import type { ConfigIssue } from "../errors";
import { modelPlanSettings } from "../planning/model-settings";
import { planModel, type GpuPlan } from "../planning/planner";
import { UNKNOWN_MODEL_FIX, resolveModelSpec } from "../resolve-model";
import type { ModelConfig } from "../schema/model";
import type { ResolvedGpuPool } from "./gpu-pools";

/** A model planned on its pool, before the target narrows the pool. */
export interface ModelOnPool {
  /** Position in `models`, for field paths. */
  index: number;
  config: ModelConfig;
  spec: ModelSpec;
  pool: ResolvedGpuPool;
  plan: GpuPlan;
}

export interface Planning {
  /** The models that fit, in the file's order. */
  models: ModelOnPool[];
  issues: ConfigIssue[];
  warnings: string[];
}

export function planModels(file: string, models: ModelConfig[], modelPools: ResolvedGpuPool[], skip: ReadonlySet<number>): Planning {
  const planning: Planning = { models: [], issues: [], warnings: [] };
  models.forEach((model, index) => {
    if (skip.has(index)) return;
    const at = `models[${index}]`;
    const planned = planOne(file, at, index, model, modelPools[index], planning.issues);
    if (planned) {
      planning.models.push(planned);
      planning.warnings.push(...planned.plan.warnings.map((w) => `${at} (${model.servedName}): ${w}`));
    }
  });
  return planning;
}

function planOne(
  file: string,
  at: string,
  index: number,
  model: ModelConfig,
  pool: ResolvedGpuPool,
  issues: ConfigIssue[],
): ModelOnPool | undefined {
  const spec = resolveModelSpec(model.model);
  if (!spec) {
    // Only a catalog name can be unknown: an inline description is its own spec.
    const name = typeof model.model === "string" ? model.model : model.model.hfRepo;
    issues.push({ file, field: `${at}.model`, message: `unknown model "${name}"`, fix: UNKNOWN_MODEL_FIX });
    return undefined;
  }
  if (model.role !== "chat" && spec.fimTemplate === "none") {
    issues.push({
      file,
      field: `${at}.role`,
      message: `${spec.id} has no fill-in-the-middle template, so it cannot serve inline completions (role "${model.role}")`,
      fix: `set role: chat, or serve a FIM model (Qwen2.5-Coder, StarCoder2, DeepSeek-Coder, Codestral) for completions`,
    });
  }
  const { gpusPerNode, nodes } = pool.pool;
  const result = planModel({
    model: spec,
    gpu: pool.gpu,
    gpusPerNode,
    gpusAvailable: gpusPerNode * nodes,
    ...modelPlanSettings(model),
  });
  if (!result.ok) {
    issues.push(...result.problems.map((p) => ({ file, field: `${at}.${p.field}`, message: p.message, fix: p.fix })));
    return undefined;
  }
  return { index, config: model, spec, pool, plan: result.plan };
}
