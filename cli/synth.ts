/**
 * `npm run synth [-- --env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]`: validates and plans
 * the environment(s), writes Terraform JSON to cdktf.out, and prints what `cdktf deploy` would create.
 * Whatever the input, it ends with a message, never a stack trace.
 */
import fs from "node:fs";
import path from "node:path";
import { ENVIRONMENTS_DIR } from "../core/load-environment";
import { internalErrorLine, reportSynth } from "../stacks/synth-report";
import { resolveEnvironmentNames, synthesize } from "../stacks/synthesize";
import { UsageError, parseFlags } from "./args";

process.env.CHECKPOINT_DISABLE = "1";

const USAGE = "usage: npm run synth -- [--env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]";

function main(): number {
  const args = parseFlags(process.argv.slice(2), { env: { type: "string" }, out: { type: "string" }, dir: { type: "string" } });
  const selection = typeof args.env === "string" ? args.env : "local";
  const outdir = typeof args.out === "string" ? args.out : "cdktf.out";
  const dir = typeof args.dir === "string" ? path.resolve(args.dir) : ENVIRONMENTS_DIR;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir} is not a folder`);
  if (fs.existsSync(outdir) && !fs.statSync(outdir).isDirectory()) throw new UsageError(`--out ${outdir} is a file, not a folder`);
  const started = Date.now();
  const result = synthesize(resolveEnvironmentNames(selection, dir), outdir, dir);
  return reportSynth(result, selection, Date.now() - started);
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`synth: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`synth: ${internalErrorLine(error instanceof Error ? error : new Error(String(error)))}`);
    // EX_SOFTWARE (sysexits.h): an internal software error.
    process.exitCode = 70;
  }
}
