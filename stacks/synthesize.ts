import { App } from "cdktf";
import { EnvironmentError, type ConfigIssue } from "../core/errors";
import { ENVIRONMENTS_DIR, listEnvironments, loadEnvironment, type Environment } from "../core/load-environment";
import { sharedClusterIssues } from "../core/validation/shared-cluster";
import { AwsClusterServicesStack } from "./aws-cluster-services-stack";
import { AwsClusterStack } from "./aws-cluster-stack";
import { EnvironmentStack } from "./environment-stack";

export interface SynthResult {
  synthesized: Environment[];
  /** Environments that failed validation or planning: nothing was written for them. */
  failed: { name: string; issues: ConfigIssue[] }[];
  outdir: string;
}

/** `all` means every file in environments/. */
export function resolveEnvironmentNames(selection: string, dir = ENVIRONMENTS_DIR): string[] {
  return selection === "all" ? listEnvironments(dir) : [selection];
}

/**
 * Validates every selected environment first, then synthesizes the valid ones into
 * `outdir`. An invalid environment adds no stack, so nothing is written for it. Environments
 * that would clash on a shared cluster are refused too, judged against every valid file of
 * `dir`, not only the selected ones (core/validation/shared-cluster.ts).
 */
export function synthesize(names: string[], outdir: string, dir = ENVIRONMENTS_DIR): SynthResult {
  const valid: Environment[] = [];
  const failed: SynthResult["failed"] = [];
  for (const name of names) {
    const loaded = tryLoad(name, dir);
    if (loaded.ok) valid.push(loaded.environment);
    else failed.push({ name, issues: loaded.issues });
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
  const synthesized: Environment[] = [];
  for (const environment of valid) {
    const issues = clashes.get(environment.name);
    if (issues) failed.push({ name: environment.name, issues });
    else synthesized.push(environment);
  }
  if (synthesized.length > 0) {
    const app = new App({ outdir, skipValidation: false });
    for (const environment of synthesized) {
      if (environment.kind === "aws") {
        const cluster = new AwsClusterStack(app, environment);
        const services = new AwsClusterServicesStack(app, environment, cluster);
        new EnvironmentStack(app, { ...environment, awsCluster: cluster.reference }).addDependency(services);
      } else {
        new EnvironmentStack(app, environment);
      }
    }
    app.synth();
  }
  return { synthesized, failed, outdir };
}

function tryLoad(name: string, dir: string): { ok: true; environment: Environment } | { ok: false; issues: ConfigIssue[] } {
  try {
    return { ok: true, environment: loadEnvironment(name, dir) };
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return { ok: false, issues: error.issues };
  }
}
