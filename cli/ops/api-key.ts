/**
 * The API key for the endpoints: from the environment variable AICOCKPIT_API_KEY, or read from
 * a file whose path is given. Never an argument (it would show in `ps` and shell history), never
 * printed.
 */
import fs from "node:fs";
import { apiKeyLocation } from "../../core/contract/outputs";
import { API_KEY_SECRET_KEY } from "../../core/names";
import { CommandError } from "./command";

export const API_KEY_VARIABLE = "AICOCKPIT_API_KEY";

export function readApiKey(keyFile: string | undefined): string | undefined {
  if (keyFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(keyFile, "utf8");
    } catch (error) {
      throw new CommandError(`cannot read the API key file ${keyFile} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
    const key = text.trim();
    if (!key) throw new CommandError(`the API key file ${keyFile} is empty`);
    return key;
  }
  const fromEnv = process.env[API_KEY_VARIABLE]?.trim();
  return fromEnv ? fromEnv : undefined;
}

/** How to get the key of a deployment, for messages: from its Secret, or a docker target's key file. */
export function apiKeyHint(secret: string): string {
  const where = apiKeyLocation(secret);
  if (where.kind === "file")
    return `export ${API_KEY_VARIABLE}="$(cat ${where.path})" (the key file on the Docker host), or --api-key-file ${where.path}`;
  return `export ${API_KEY_VARIABLE}="$(kubectl -n ${where.namespace} get secret ${where.name} -o jsonpath='{.data.${API_KEY_SECRET_KEY}}' | base64 -d)"`;
}
