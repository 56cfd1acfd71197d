/** Reads a deployment outputs file with the extension's parser: one parser for the contract. */
import fs from "node:fs";
import { formatOutputsProblem, parseDeploymentOutputs, type Endpoint } from "../../extension/src/core/outputs";
import { CommandError } from "./command";

export interface OutputsFile {
  file: string;
  endpoints: Endpoint[];
  warnings: string[];
}

export function readOutputsFile(file: string): OutputsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String(code ?? error);
    throw new CommandError(
      `cannot read the outputs file ${file}: ${why}. Write it with \`npx cdktf deploy aicockpit-<env> --outputs-file aicockpit-outputs.json\` (or \`npm run connect\` for a ClusterIP environment)`,
    );
  }
  const result = parseDeploymentOutputs(text, file);
  if (!result.ok) throw new CommandError(result.errors.map(formatOutputsProblem).join("\n"));
  return { file, endpoints: result.endpoints, warnings: result.warnings.map(formatOutputsProblem) };
}

/** The endpoints of one environment (all when `environment` is undefined). */
export function endpointsOf(outputs: OutputsFile, environment: string | undefined): Endpoint[] {
  if (environment === undefined) return outputs.endpoints;
  const selected = outputs.endpoints.filter((e) => e.environment === environment);
  if (selected.length === 0) {
    const known = [...new Set(outputs.endpoints.map((e) => e.environment))].join(", ");
    throw new CommandError(`${outputs.file} has no endpoint of environment "${environment}" (it has: ${known})`);
  }
  return selected;
}
