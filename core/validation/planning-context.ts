/**
 * What planning needs besides the pools, resolved once: the vLLM release the image pins (its
 * defaults and memory accounting) and each model's architecture, from the catalog, the inline
 * facts, or the config.json file the model names.
 */
import type { ModelSpec } from "../catalog/models";
import { modelSpec } from "../catalog/models";
import type { ConfigIssue } from "../errors";
import type { ModelConfigFile } from "../load-model-config";
import { parseModelConfig } from "../model-config";
import { findVllmRelease, unknownVllmTagFix, type VllmRelease } from "../planning/vllm-versions";
import { UNKNOWN_MODEL_FIX, resolveModelSpec } from "../resolve-model";
import type { EnvironmentConfig } from "../schema";

export interface PlanningContext {
  /** Absent when the image tag names a release the planner does not know (reported in `issues`). */
  vllm?: VllmRelease;
  /** One per model of the file, in its order; absent for a model that could not be resolved. */
  specs: (ModelSpec | undefined)[];
  issues: ConfigIssue[];
}

/** Reads the config.json an inline model names (a path as the file states it). */
export type ModelConfigReader = (configPath: string) => ModelConfigFile;

export function planningContext(file: string, config: EnvironmentConfig, readConfig: ModelConfigReader): PlanningContext {
  const issues: ConfigIssue[] = [];
  const vllm = findVllmRelease(config.image.tag);
  if (!vllm) {
    issues.push({
      file,
      field: "image.tag",
      message: `the planner does not know the memory accounting of vLLM ${config.image.tag}`,
      fix: unknownVllmTagFix(),
    });
  }
  const specs = config.models.map((model, index) => {
    const at = `models[${index}].model`;
    const { model: field } = model;
    if (typeof field === "object" && "config" in field) {
      return specFromConfigFile(file, `${at}.config`, field, readConfig, issues);
    }
    const spec = resolveModelSpec(field);
    if (!spec) issues.push({ file, field: at, message: `unknown model "${field as string}"`, fix: UNKNOWN_MODEL_FIX });
    return spec;
  });
  return { vllm, specs, issues };
}

function specFromConfigFile(
  file: string,
  at: string,
  model: { hfRepo: string; config: string; fimTemplate: ModelSpec["fimTemplate"]; toolCallParser?: ModelSpec["toolCallParser"] },
  readConfig: ModelConfigReader,
  issues: ConfigIssue[],
): ModelSpec | undefined {
  const read = readConfig(model.config);
  if (!read.ok) {
    issues.push({ file, field: at, message: read.message, fix: read.fix });
    return undefined;
  }
  const parsed = parseModelConfig(read.json);
  if (!parsed.ok) {
    issues.push(
      ...parsed.problems.map((problem) => ({
        file,
        field: at,
        message: `${model.config}: ${problem.message}`,
        fix: `use the config.json of ${model.hfRepo} as published, which states ${problem.field}`,
      })),
    );
    return undefined;
  }
  return modelSpec(model.hfRepo, model.hfRepo, model.fimTemplate, parsed.architecture, {
    tokenizer: model.hfRepo,
    ...(model.toolCallParser ? { toolCallParser: model.toolCallParser } : {}),
  });
}
