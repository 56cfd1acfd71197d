/**
 * `npm run synth [-- --env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]`: validates and plans the environment(s),
 * writes Terraform JSON to cdktf.out, and prints what `cdktf deploy` would create.
 */
import fs from "node:fs";
import path from "node:path";
import { formatIssue } from "../core/errors";
import { ENVIRONMENTS_DIR } from "../core/load-environment";
import { deployStackNames } from "../core/aws/names";
import { formatEnvironmentSummary } from "../core/summary";
import { resolveEnvironmentNames, synthesize } from "../synthesize";
import { UsageError, parseArgs } from "./args";

process.env.CHECKPOINT_DISABLE = "1";

function main(): number {
  const args = parseArgs(process.argv.slice(2), { env: "value", out: "value", dir: "value" });
  const selection = typeof args.env === "string" ? args.env : "local";
  const outdir = typeof args.out === "string" ? args.out : "cdktf.out";
  const started = Date.now();
  const dir = typeof args.dir === "string" ? path.resolve(args.dir) : ENVIRONMENTS_DIR;
  const result = synthesize(resolveEnvironmentNames(selection, dir), outdir, dir);

  for (const environment of result.synthesized) {
    const files = deployStackNames(environment).map((stack) => path.join(outdir, "stacks", stack, "cdk.tf.json"));
    const resources = files.reduce((sum, file) => sum + countResources(file), 0);
    console.log(formatEnvironmentSummary(environment, { resources, outputFile: files.join(", ") }));
    console.log("");
  }
  for (const failure of result.failed) {
    console.error(`✗ ${failure.name}: not synthesized, nothing written\n${failure.issues.map(formatIssue).join("\n")}\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.synthesized.length} environment(s) synthesized, ${result.failed.length} failed, in ${seconds} s`);
  if (result.synthesized.length > 0) console.log(`Deploy with: AICOCKPIT_ENV=${selection} npx cdktf deploy ${result.synthesized.flatMap(deployStackNames).join(" ")} --outputs-file aicockpit-outputs.json`);
  return result.failed.length > 0 ? 1 : 0;
}

function countResources(file: string): number {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.values(json.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`synth: ${error.message}\nusage: npm run synth -- [--env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]`);
  process.exitCode = 2;
}
