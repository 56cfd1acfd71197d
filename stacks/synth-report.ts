import fs from "node:fs";
import path from "node:path";
import { deployStackNames } from "../core/aws/names";
import { formatIssue } from "../core/errors";
import { formatEnvironmentSummary } from "../core/summary";
import type { SynthResult } from "./synthesize";

/**
 * Prints what synth wrote (plan, endpoints, resources, the deploy command) and what it refused;
 * shared by `npm run synth` and the cdktf CLI entry. Returns the exit code.
 */
export function reportSynth(result: SynthResult, selection: string, elapsedMs: number): number {
  for (const environment of result.synthesized) {
    const files = deployStackNames(environment).map((stack) => path.join(result.outdir, "stacks", stack, "cdk.tf.json"));
    const resources = files.reduce((sum, file) => sum + countResources(file), 0);
    console.log(formatEnvironmentSummary(environment, { resources, outputFile: files.join(", ") }));
    console.log("");
  }
  for (const failure of result.failed) {
    console.error(`✗ ${failure.name}: not synthesized, nothing written\n${failure.issues.map(formatIssue).join("\n")}\n`);
  }
  const seconds = (elapsedMs / 1000).toFixed(1);
  console.log(`${result.synthesized.length} environment(s) synthesized, ${result.failed.length} failed, in ${seconds} s`);
  if (result.synthesized.length > 0) {
    const stacks = result.synthesized.flatMap(deployStackNames).join(" ");
    console.log(`Deploy with: AICOCKPIT_ENV=${selection} npx cdktf deploy ${stacks} --outputs-file aicockpit-outputs.json`);
  }
  return result.failed.length > 0 ? 1 : 0;
}

function countResources(file: string): number {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}
