/**
 * Reads, validates and plans one environment file. Everything that can be wrong with an
 * environment is found here, before any construct exists, so a bad file writes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { targetChecks } from "./aws/check-environment";
import { findGpu, type GpuSpec } from "./catalog/gpus";
import type { ModelSpec } from "./catalog/models";
import { EnvironmentError, issuesFromZod, schemaKeys, type ConfigIssue } from "./errors";
import { modelPlanSettings } from "./planning/model-settings";
import { planModel, type GpuPlan } from "./planning/planner";
import { UNKNOWN_MODEL_FIX, resolveModelSpec } from "./resolve-model";
import { environmentSchema, type EnvironmentConfig } from "./schema";
import type { ModelConfig } from "./schema/model";
import type { GpuPoolConfig } from "./schema/serving";

export interface PlannedModel {
  config: ModelConfig;
  spec: ModelSpec;
  pool: GpuPoolConfig;
  gpu: GpuSpec;
  plan: GpuPlan;
}

export interface Environment {
  name: string;
  /** Path of the file it came from, relative to the working directory when possible. */
  file: string;
  config: EnvironmentConfig;
  models: PlannedModel[];
  warnings: string[];
}

export const ENVIRONMENTS_DIR = path.resolve(__dirname, "../environments");
const KNOWN_KEYS = schemaKeys(environmentSchema);

/** Environment names in a folder: every `<name>.yaml`. */
export function listEnvironments(dir = ENVIRONMENTS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

export function loadEnvironment(name: string, dir = ENVIRONMENTS_DIR): Environment {
  const file = path.join(dir, `${name}.yaml`);
  const shown = displayPath(file);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(dir) ? listEnvironments(dir) : [];
    throw new EnvironmentError([
      { file: shown, field: "", message: `no environment named "${name}"`, fix: `use one of: ${known.join(", ") || "(none yet)"}` },
    ]);
  }
  return parseEnvironment(name, shown, fs.readFileSync(file, "utf8"));
}

/** Validates and plans an environment from its YAML text. Throws EnvironmentError listing every problem. */
export function parseEnvironment(name: string, file: string, text: string): Environment {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new EnvironmentError(
      document.errors.map((error) => ({
        file: error.linePos ? `${file}:${error.linePos[0].line}:${error.linePos[0].col}` : file,
        field: "",
        message: `YAML syntax error: ${error.message.split("\n")[0]}`,
        fix: "correct the YAML syntax (indentation, quotes, a ':' after each key)",
      })),
    );
  }
  const parsed = environmentSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) throw new EnvironmentError(issuesFromZod(file, parsed.error, KNOWN_KEYS));

  const config = parsed.data;
  const checks = targetChecks(file, config);
  const issues: ConfigIssue[] = [...checks.issues];
  const warnings: string[] = [];
  const models: PlannedModel[] = [];
  config.models.forEach((model, index) => {
    if (checks.skipPlanning.has(index)) return;
    const at = `models[${index}]`;
    const planned = planOne(file, at, config, model, issues);
    if (planned) {
      models.push(planned);
      warnings.push(...planned.plan.warnings.map((w) => `${at} (${model.servedName}): ${w}`));
    }
  });
  issues.push(...poolCapacityIssues(file, config, models));
  const cache = modelCacheChecks(file, config, models);
  issues.push(...cache.issues);
  warnings.push(...cache.warnings);
  if (issues.length > 0) throw new EnvironmentError(issues);
  return { name, file, config, models, warnings };
}

function planOne(
  file: string,
  at: string,
  config: EnvironmentConfig,
  model: ModelConfig,
  issues: ConfigIssue[],
): PlannedModel | undefined {
  const spec = resolveModelSpec(model.model);
  if (!spec) {
    issues.push({ file, field: `${at}.model`, message: `unknown model "${String(model.model)}"`, fix: UNKNOWN_MODEL_FIX });
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
  const pool = config.gpuPools.find((p) => p.name === model.pool);
  const gpu = pool && findGpu(pool.gpu);
  if (!pool || !gpu) return undefined; // reported by the schema
  const result = planModel({
    model: spec,
    gpu,
    gpusPerNode: pool.gpusPerNode,
    gpusAvailable: pool.gpusPerNode * pool.nodes,
    ...modelPlanSettings(model),
  });
  if (!result.ok) {
    issues.push(...result.problems.map((p) => ({ file, field: `${at}.${p.field}`, message: p.message, fix: p.fix })));
    return undefined;
  }
  return { config: model, spec, pool, gpu, plan: result.plan };
}

/** All replicas of all models on a pool must fit on its GPUs at once. */
function poolCapacityIssues(file: string, config: EnvironmentConfig, models: PlannedModel[]): ConfigIssue[] {
  return config.gpuPools.flatMap((pool) => {
    const onPool = models.filter((m) => m.pool.name === pool.name);
    const needed = onPool.reduce((sum, m) => sum + m.config.replicas * m.plan.gpusPerReplica, 0);
    const available = pool.gpusPerNode * pool.nodes;
    if (needed <= available) return [];
    const index = config.gpuPools.indexOf(pool);
    return [
      {
        file,
        field: `gpuPools[${index}].nodes`,
        message: `models on pool "${pool.name}" need ${needed} GPUs (replicas × tensorParallel × pipelineParallel), the pool has ${available}`,
        fix: `raise nodes to ${Math.ceil(needed / pool.gpusPerNode)} or lower the models' replicas`,
      },
    ];
  });
}

/**
 * A model's pods share its cache volume. A ReadWriteOnce volume attaches to one node, so a
 * replica spanning nodes cannot start, and several replicas must all land on one node.
 */
function modelCacheChecks(file: string, config: EnvironmentConfig, models: PlannedModel[]): { issues: ConfigIssue[]; warnings: string[] } {
  const result = { issues: [] as ConfigIssue[], warnings: [] as string[] };
  if (config.modelCache.accessMode !== "ReadWriteOnce") return result;
  for (const model of models) {
    const at = `models[${config.models.indexOf(model.config)}]`;
    if (model.plan.nodesPerReplica > 1) {
      result.issues.push({
        file,
        field: "modelCache.accessMode",
        message: `${model.config.servedName} spans ${model.plan.nodesPerReplica} nodes per replica, but a ReadWriteOnce cache attaches to one node`,
        fix: "set modelCache.accessMode: ReadWriteMany (with a storage class that supports it, e.g. NFS or CephFS)",
      });
    } else if (model.config.replicas > 1) {
      result.warnings.push(
        `${at} (${model.config.servedName}): ${model.config.replicas} replicas share a ReadWriteOnce cache, so they can only run on one node; ` +
          "set modelCache.accessMode: ReadWriteMany to spread them",
      );
    }
  }
  return result;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}
