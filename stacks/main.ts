/**
 * Entry point for the cdktf CLI (`npx cdktf synth|deploy`, see cdktf.json). The environment
 * comes from AICOCKPIT_ENV (default `local`, or `all`); it prints the same summary as `npm run synth`.
 */
import { reportSynth } from "./synth-report";
import { resolveEnvironmentNames, synthesize } from "./synthesize";

const selection = process.env.AICOCKPIT_ENV ?? "local";
const started = Date.now();
const result = synthesize(resolveEnvironmentNames(selection), process.env.CDKTF_OUTDIR ?? "cdktf.out");
process.exitCode = reportSynth(result, selection, Date.now() - started);
