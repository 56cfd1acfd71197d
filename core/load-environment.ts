/**
 * Reads, validates and plans one environment file: the one validation pass. Everything that
 * can be wrong with an environment is found here, before any construct exists, so a bad file
 * writes nothing; what it returns is narrowed to its target (core/environment.ts), so nothing
 * after it checks again.
 *
 * The stages, in order (core/validation/):
 *   1. YAML syntax                                         ┐ each stops the pass:
 *   2. schema: every field's type, range and format          │ later stages rely on
 *   3. GPU pools: each pool's GPU, each model's pool        ┘ what they establish
 *   4. target: the existing cluster's or the aws target's rules ┐ problems are collected
 *   5. planning: each model on its pool's GPUs                  │ and reported together
 *   6. capacity: all replicas of a pool fit at once             │
 *   7. model cache: what a volume attached to one node allows   ┘
 */
import fs from "node:fs";
import path from "node:path";
import { checkAwsTarget } from "./aws/check-environment";
import type { Environment, GpuPool, PlannedModel } from "./environment";
import { EnvironmentError } from "./errors";
import type { EnvironmentConfig } from "./schema";
import { resolveGpuPools, type ResolvedPools } from "./validation/gpu-pools";
import { checkKubernetesTarget } from "./validation/kubernetes-target";
import { modelCacheChecks } from "./validation/model-cache";
import { planModels } from "./validation/planning";
import { poolCapacityIssues } from "./validation/pool-capacity";
import { checkSchema } from "./validation/schema";
import type { TargetCheck } from "./validation/target";
import { readYaml } from "./validation/yaml";

export type {
  AwsEnvironment,
  AwsEnvironmentConfig,
  AwsGpuPool,
  Environment,
  GpuPool,
  KubernetesEnvironment,
  KubernetesEnvironmentConfig,
  KubernetesGpuPool,
  PlannedModel,
} from "./environment";

export const ENVIRONMENTS_DIR = path.resolve(__dirname, "../environments");

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
  const config = checkSchema(file, readYaml(file, text));
  const pools = resolveGpuPools(file, config);
  const { target } = config;
  if (target.kind === "aws") {
    return { kind: "aws", name, file, ...planEnvironment(file, config, pools, checkAwsTarget(file, config, target, pools)) };
  }
  return { kind: "kubernetes", name, file, ...planEnvironment(file, config, pools, checkKubernetesTarget(file, config, target, pools)) };
}

/** Stages 4 to 7 on a target's checks; every problem found is reported at once. */
function planEnvironment<Config extends { gpuPools: GpuPool[] }>(
  file: string,
  config: EnvironmentConfig,
  { pools, modelPools }: ResolvedPools,
  target: TargetCheck<Config>,
): { config: Config; models: PlannedModel<Config["gpuPools"][number]>[]; warnings: string[] } {
  const planning = planModels(file, config.models, modelPools, target.skipPlanning);
  const cache = modelCacheChecks(file, config, planning.models);
  const issues = [
    ...(target.config.ok ? [] : target.config.issues),
    ...planning.issues,
    ...poolCapacityIssues(file, pools, planning.models),
    ...cache.issues,
  ];
  if (!target.config.ok || issues.length > 0) throw new EnvironmentError(issues);
  const narrowed = target.config.value;
  return {
    config: narrowed,
    models: planning.models.map(({ config: model, spec, pool, plan }) => ({
      config: model,
      spec,
      pool: narrowed.gpuPools[pool.index],
      gpu: pool.gpu,
      plan,
    })),
    warnings: [...planning.warnings, ...cache.warnings],
  };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}
