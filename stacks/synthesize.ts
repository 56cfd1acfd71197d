import { App } from "cdktf";
import { EnvironmentError, type ConfigIssue } from "../core/errors";
import { ENVIRONMENTS_DIR, listEnvironments, loadEnvironment, type Environment } from "../core/load-environment";
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
 * `outdir`. An invalid environment adds no stack, so nothing is written for it.
 */
export function synthesize(names: string[], outdir: string, dir = ENVIRONMENTS_DIR): SynthResult {
  const synthesized: Environment[] = [];
  const failed: SynthResult["failed"] = [];
  for (const name of names) {
    try {
      synthesized.push(loadEnvironment(name, dir));
    } catch (error) {
      if (!(error instanceof EnvironmentError)) throw error;
      failed.push({ name, issues: error.issues });
    }
  }
  if (synthesized.length > 0) {
    const app = new App({ outdir, skipValidation: false });
    for (const environment of synthesized) {
      if (environment.kind === "aws") {
        const cluster = new AwsClusterStack(app, environment);
        new EnvironmentStack(app, { ...environment, awsCluster: cluster.reference });
      } else {
        new EnvironmentStack(app, environment);
      }
    }
    app.synth();
  }
  return { synthesized, failed, outdir };
}
