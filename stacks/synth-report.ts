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
  for (const crash of result.crashed)
    console.error(`✗ ${crash.name}: not synthesized, nothing written\n  ${internalErrorLine(crash.error)}\n`);
  const seconds = (elapsedMs / 1000).toFixed(1);
  const failed = result.failed.length + result.crashed.length;
  console.log(`${result.synthesized.length} environment(s) synthesized, ${failed} failed, in ${seconds} s`);
  if (result.synthesized.length > 0) {
    const stacks = result.synthesized.flatMap(deployStackNames).join(" ");
    console.log(`Deploy with: AICOCKPIT_ENV=${selection} npx cdktf deploy ${stacks} --outputs-file aicockpit-outputs.json`);
  }
  return failed > 0 ? 1 : 0;
}

/** Where a bug in the kit is reported; the issue template asks for what a report needs. */
export const BUG_REPORT = ".github/ISSUE_TEMPLATE/bug_report.yml (a GitHub issue on the AiCockpit repository)";

/**
 * One line for an error that is the kit's fault, not the file's: its first line, and where to report
 * it. The stack trace only when asked for (AICOCKPIT_DEBUG=1): a trace is noise to a user.
 */
export function internalErrorLine(error: Error): string {
  const first = (error.message || error.name).split("\n")[0].slice(0, 300);
  const trace = process.env.AICOCKPIT_DEBUG === "1" ? `\n${error.stack ?? ""}` : "";
  return `internal error: ${first} — a bug in AiCockpit, not in your file; please report it with ${BUG_REPORT} (AICOCKPIT_DEBUG=1 shows the trace)${trace}`;
}

function countResources(file: string): number {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}
