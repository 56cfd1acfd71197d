/**
 * Reads, validates and plans one environment file: the one validation pass. Everything that
 * can be wrong with an environment is found here, before any construct exists, so a bad file
 * writes nothing; what it returns is narrowed to its target (core/environment.ts), so nothing
 * after it checks again.
 *
 * The stages, in order (core/validation/):
 *   0. the environment's name, which names its Terraform stack  ┐
 *   1. YAML syntax, within size and alias limits                 │ each stops the pass:
 *   2. untrusted text: no string Terraform, Helm or a terminal   │ later stages rely on
 *      would read as more than text                              │ what they establish
 *   3. schema: every field's type, range and format              │
 *   4. GPU pools: each pool's GPU, each model's pool             ┘
 *   5. target: the existing cluster's, aws's or docker's rules  ┐ problems are collected
 *   6. planning: the vLLM release, each model's architecture    │ and reported together
 *      (catalog, inline facts or its config.json) on its pool    │
 *   7. capacity: all replicas of a pool fit at once (autoscaled │
 *      models at maxReplicas); autoscaling rules                 │
 *   8. model cache: what a volume attached to one node allows   │
 *   9. scheduling: every pod the kit creates fits a node        │
 *      (on aws the routers too, on the system nodes)            │
 *  10. public access: open exposure said twice                  │
 *  11. fields that would have no effect                         ┘
 */
import fs from "node:fs";
import path from "node:path";
import { checkAwsTarget } from "./aws/check-environment";
import type { Environment, GpuPool, PlannedModel } from "./environment";
import { modelConfigRoot, readModelConfigFile } from "./load-model-config";
import { EnvironmentError, type ConfigIssue } from "./errors";
import type { EnvironmentConfig } from "./schema";
import { resolveGpuPools, type ResolvedPools } from "./validation/gpu-pools";
import { checkDockerTarget } from "./validation/docker-target";
import { checkKubernetesTarget } from "./validation/kubernetes-target";
import { modelCacheChecks } from "./validation/model-cache";
import { planModels } from "./validation/planning";
import { planningContext, type PlanningContext } from "./validation/planning-context";
import { autoscalingIssues } from "./validation/autoscaling";
import { poolCapacityIssues } from "./validation/pool-capacity";
import { publicAccessFindings } from "./validation/public-access";
import { schedulingIssues } from "./validation/scheduling";
import { systemNodeIssues } from "./validation/system-nodes";
import { checkSchema } from "./validation/schema";
import type { TargetCheck } from "./validation/target";
import { checkUntrustedText } from "./validation/untrusted-text";
import { fieldsWithoutEffect } from "./validation/without-effect";
import { readYaml } from "./validation/yaml";
import { rolloutWarnings } from "./scale/rollout";
import { cacheWarmed } from "./model-cache-warmup";

export type {
  AwsEnvironment,
  DockerEnvironment,
  DockerEnvironmentConfig,
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

/**
 * An environment's name names its Terraform stacks (`aicockpit-<name>`), its EKS cluster and the
 * resources derived from them, so it is a DNS label, short enough to leave room for their suffixes.
 */
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** Environment names in a folder: every `<name>.yaml` (valid or not: a bad name is reported when loaded). */
export function listEnvironments(dir = ENVIRONMENTS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/** Loads `<dir>/<name>.yaml`; only a name listed in `dir` is read, so `../x` never leaves it. */
export function loadEnvironment(name: string, dir = ENVIRONMENTS_DIR): Environment {
  const known = fs.existsSync(dir) ? listEnvironments(dir) : [];
  const file = path.join(dir, `${name}.yaml`);
  const shown = displayPath(file);
  if (!known.includes(name)) {
    throw new EnvironmentError([
      {
        file: displayPath(dir),
        field: "",
        message: `no environment named "${name}" in ${displayPath(dir)}`,
        fix: `use one of: ${known.join(", ") || "(none yet)"}`,
      },
    ]);
  }
  return parseEnvironment(name, shown, fs.readFileSync(file, "utf8"));
}

/** Validates and plans an environment from its YAML text. Throws EnvironmentError listing every problem. */
export function parseEnvironment(name: string, file: string, text: string): Environment {
  if (!ENVIRONMENT_NAME.test(name)) {
    throw new EnvironmentError([
      {
        file,
        field: "",
        message: `"${name}" is not a usable environment name: it names the Terraform stack aicockpit-<name> and the resources derived from it`,
        fix: "rename the file to lowercase letters, digits and '-', at most 40 characters, e.g. team-gpu.yaml",
      },
    ]);
  }
  const raw = readYaml(file, text);
  checkUntrustedText(file, raw);
  const config = checkSchema(file, raw);
  const pools = resolveGpuPools(file, config);
  // config.json files an inline model names are read relative to the environment file, inside the repository.
  const baseDir = path.dirname(path.resolve(file));
  const context = planningContext(file, config, (configPath) => readModelConfigFile(configPath, baseDir, modelConfigRoot(file)));
  const exposure = publicAccessFindings(file, config);
  const later = {
    issues: [...exposure.issues, ...autoscalingIssues(file, raw, config), ...fieldsWithoutEffect(file, raw, config)],
    warnings: exposure.warnings,
  };
  const { target } = config;
  if (target.kind === "docker") {
    return {
      kind: "docker",
      name,
      file,
      ...planEnvironment(file, config, pools, context, checkDockerTarget(file, config, target, pools), later),
    };
  }
  if (target.kind === "aws") {
    return {
      kind: "aws",
      name,
      file,
      ...planEnvironment(file, config, pools, context, checkAwsTarget(file, config, target, pools, context), later),
    };
  }
  return {
    kind: "kubernetes",
    name,
    file,
    ...planEnvironment(file, config, pools, context, checkKubernetesTarget(file, config, target, pools), later),
  };
}

/** Stages 5 to 11 on a target's checks; every problem found is reported at once. */
function planEnvironment<Config extends { gpuPools: GpuPool[] }>(
  file: string,
  config: EnvironmentConfig,
  { pools, modelPools }: ResolvedPools,
  context: PlanningContext,
  target: TargetCheck<Config>,
  later: { issues: ConfigIssue[]; warnings: string[] },
): { config: Config; models: PlannedModel<Config["gpuPools"][number]>[]; warnings: string[] } {
  const planning = planModels(file, config.models, modelPools, target.skipPlanning, context);
  const cache = modelCacheChecks(file, config, planning.models);
  const issues = [
    ...context.issues,
    ...(target.config.ok ? [] : target.config.issues),
    ...planning.issues,
    ...poolCapacityIssues(file, pools, planning.models),
    ...cache.issues,
    ...schedulingIssues(file, config, pools, planning.models),
    ...systemNodeIssues(file, config, planning.models),
    ...later.issues,
  ];
  if (!target.config.ok || issues.length > 0) throw new EnvironmentError(issues);
  const narrowed = target.config.value;
  const models = planning.models.map(({ config: model, spec, pool, plan, serving }) => ({
    config: model,
    spec,
    pool: narrowed.gpuPools[pool.index],
    gpu: pool.gpu,
    plan,
    serving,
  }));
  return {
    config: narrowed,
    models,
    warnings: [
      ...later.warnings,
      ...planning.warnings,
      ...cache.warnings,
      ...rolloutWarnings(models, config.modelCache.accessMode, { warmed: cacheWarmed(config) }),
    ],
  };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}
