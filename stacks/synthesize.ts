import fs from "node:fs";
import { App, type TerraformStack } from "cdktf";
import { EnvironmentError, type ConfigIssue } from "../core/errors";
import { ENVIRONMENTS_DIR, listEnvironments, loadEnvironment, type Environment } from "../core/load-environment";
import { sharedClusterIssues } from "../core/validation/shared-cluster";
import { AwsClusterServicesStack } from "./aws-cluster-services-stack";
import { AwsClusterStack } from "./aws-cluster-stack";
import { DockerStack } from "./docker-stack";
import { EnvironmentStack } from "./environment-stack";
import { KedaStack } from "./keda-stack";
import { installsKeda } from "../core/scale/autoscaling";

export interface SynthResult {
  synthesized: Environment[];
  /** Environments that failed validation or planning: nothing was written for them. */
  failed: { name: string; issues: ConfigIssue[] }[];
  /** Environments the kit itself failed on (a bug, not the file's fault): nothing was written for them. */
  crashed: { name: string; error: Error }[];
  outdir: string;
}

/** `all` means every file in environments/. */
export function resolveEnvironmentNames(selection: string, dir = ENVIRONMENTS_DIR): string[] {
  return selection === "all" ? listEnvironments(dir) : [selection];
}

/**
 * Validates every selected environment first, then synthesizes the valid ones into `outdir`
 * (created if missing). An invalid environment adds no stack, so nothing is written for it; one
 * environment that fails, or that the kit fails on, never stops the others. Environments that
 * would clash on a shared cluster are refused too, judged against every valid file of `dir`, not
 * only the selected ones (core/validation/shared-cluster.ts).
 */
export function synthesize(names: string[], outdir: string, dir = ENVIRONMENTS_DIR): SynthResult {
  const valid: Environment[] = [];
  const failed: SynthResult["failed"] = [];
  const crashed: SynthResult["crashed"] = [];
  for (const name of names) {
    try {
      valid.push(loadEnvironment(name, dir));
    } catch (error) {
      if (error instanceof EnvironmentError) failed.push({ name, issues: error.issues });
      else crashed.push({ name, error: asError(error) });
    }
  }
  // The other files only tell which names are taken on a shared cluster: one that cannot load takes none.
  const others = listEnvironments(dir)
    .filter((name) => !names.includes(name))
    .flatMap((name) => {
      try {
        return [loadEnvironment(name, dir)];
      } catch {
        return [];
      }
    });
  const clashes = sharedClusterIssues([...valid, ...others]);
  const accepted: Environment[] = [];
  for (const environment of valid) {
    const issues = clashes.get(environment.name);
    if (issues) failed.push({ name: environment.name, issues });
    else accepted.push(environment);
  }
  const synthesized: Environment[] = [];
  if (accepted.length > 0) {
    // cdktf creates the folder itself, but not its parents.
    fs.mkdirSync(outdir, { recursive: true });
    const app = new App({ outdir, skipValidation: false });
    for (const environment of accepted) {
      const before = new Set(app.node.children.map((child) => child.node.id));
      try {
        // Resolving each new stack here surfaces a synth-time failure while it can still be
        // taken out alone (app.synth() would stop at it, half-way through writing the others).
        for (const stack of addStacks(app, environment)) stack.toTerraform();
        synthesized.push(environment);
      } catch (error) {
        // Take out whatever this environment added, so the others are written without it.
        for (const child of app.node.children) if (!before.has(child.node.id)) app.node.tryRemoveChild(child.node.id);
        crashed.push({ name: environment.name, error: asError(error) });
      }
    }
    if (synthesized.length > 0) app.synth();
  }
  return { synthesized, failed, crashed, outdir };
}

/** The stacks of one environment: on aws the cluster, its services, then the serving stack. */
function addStacks(app: App, environment: Environment): TerraformStack[] {
  if (environment.kind === "docker") return [new DockerStack(app, environment)];
  if (environment.kind === "aws") {
    const cluster = new AwsClusterStack(app, environment);
    const services = new AwsClusterServicesStack(app, environment, cluster);
    const serving = new EnvironmentStack(app, { ...environment, awsCluster: cluster.reference });
    serving.addDependency(services);
    return [cluster, services, serving];
  }
  const serving = new EnvironmentStack(app, environment);
  if (!installsKeda(environment.config)) return [serving];
  const keda = new KedaStack(app, environment);
  serving.addDependency(keda);
  return [keda, serving];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
