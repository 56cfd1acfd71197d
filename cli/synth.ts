/**
 * `npm run synth [-- --env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]`: validates and plans
 * the environment(s), writes Terraform JSON to cdktf.out, and prints what `cdktf deploy` would create.
 */
import path from "node:path";
import { ENVIRONMENTS_DIR } from "../core/load-environment";
import { reportSynth } from "../stacks/synth-report";
import { resolveEnvironmentNames, synthesize } from "../stacks/synthesize";
import { UsageError, parseFlags } from "./args";

process.env.CHECKPOINT_DISABLE = "1";

function main(): number {
  const args = parseFlags(process.argv.slice(2), { env: { type: "string" }, out: { type: "string" }, dir: { type: "string" } });
  const selection = typeof args.env === "string" ? args.env : "local";
  const outdir = typeof args.out === "string" ? args.out : "cdktf.out";
  const dir = typeof args.dir === "string" ? path.resolve(args.dir) : ENVIRONMENTS_DIR;
  const started = Date.now();
  const result = synthesize(resolveEnvironmentNames(selection, dir), outdir, dir);
  return reportSynth(result, selection, Date.now() - started);
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`synth: ${error.message}\nusage: npm run synth -- [--env NAME|all] [--dir ENVIRONMENTS_DIR] [--out DIR]`);
  process.exitCode = 2;
}
