/**
 * Entry point for the cdktf CLI (`npx cdktf synth|deploy`, see cdktf.json). The environment
 * comes from AICOCKPIT_ENV (default `local`, or `all`); `npm run synth` is the friendlier way.
 */
import { formatIssue } from "./core/errors";
import { resolveEnvironmentNames, synthesize } from "./synthesize";

const selection = process.env.AICOCKPIT_ENV ?? "local";
const result = synthesize(resolveEnvironmentNames(selection), process.env.CDKTF_OUTDIR ?? "cdktf.out");
for (const failure of result.failed) console.error(failure.issues.map(formatIssue).join("\n"));
if (result.failed.length > 0) process.exit(1);
