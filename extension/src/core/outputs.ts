/**
 * Reads the deployment outputs file (docs/outputs.md): the JSON `cdktf deploy --outputs-file`
 * writes (stack name → outputs), the `terraform output -json` shape (each output wrapped in
 * `{ value, type, sensitive }`), single or several stacks. Each endpoint is validated with the
 * contract's schema, the one the kit builds its outputs against. Errors name the file, what is
 * wrong and how to fix it.
 */
import type { z } from "zod";
import {
  ENDPOINT_OUTPUT_PREFIX,
  ENVIRONMENT_OUTPUT_ID,
  endpointOutputSchema,
  NO_FIM,
  type FimTemplate,
  type ModelRole,
} from "../../../core/contract/outputs";

/** What a deployed model is for (the contract's roles). */
export type EndpointRole = ModelRole;

/** `endpoint_<model>`, as messages show it. */
const ENDPOINT_OUTPUT_PATTERN = `${ENDPOINT_OUTPUT_PREFIX}<model>`;

/** One served model, as the extension uses it. */
export interface Endpoint {
  /** Stable id: `<stack>/<served model name>`. */
  id: string;
  stack: string;
  /** Output name, e.g. `endpoint_qwen2_5_coder_7b`. */
  outputName: string;
  environment: string;
  servedModelName: string;
  /** OpenAI base URL ending in `/v1`. */
  baseUrl: string;
  role: EndpointRole;
  fimTemplate: FimTemplate;
  maxModelLen: number;
  /** Where the API key is: `<namespace>/<secret>`, or `file:<path>` on a Docker host (never the key itself). */
  apiKeySecret: string;
}

/** A problem with the outputs file, phrased for the user. */
export interface OutputsProblem {
  file: string;
  /** Where in the file (`aicockpit-local.endpoint_x.base_url`), when known. */
  where?: string;
  problem: string;
  fix: string;
}

/** Result of {@link parseDeploymentOutputs}. */
export type OutputsResult =
  { ok: true; endpoints: Endpoint[]; environments: string[]; warnings: OutputsProblem[] } | { ok: false; errors: OutputsProblem[] };

const DEPLOY_HINT = "Regenerate it with `npx cdktf deploy aicockpit-<env> --outputs-file aicockpit-outputs.json`";

/** One line per problem: `file (where): problem. fix`. */
export function formatOutputsProblem(p: OutputsProblem): string {
  return `${p.file}${p.where ? ` (${p.where})` : ""}: ${p.problem}. ${p.fix}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `terraform output -json` wraps every output as `{ value, type, sensitive }`. */
function isWrappedOutput(value: unknown): value is { value: unknown } {
  return isRecord(value) && "value" in value && ("type" in value || "sensitive" in value);
}

function isEndpointKey(key: string): boolean {
  return key.startsWith(ENDPOINT_OUTPUT_PREFIX);
}

function isOutputKey(key: string): boolean {
  return key === ENVIRONMENT_OUTPUT_ID || isEndpointKey(key);
}

/**
 * The AiCockpit outputs of one stack. cdktf nests outputs declared inside constructs under the
 * construct's id, so a few levels of nesting are searched too.
 */
function collectOutputs(value: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (isOutputKey(key)) out[key] = isWrappedOutput(child) ? child.value : child;
    else if (depth < 3 && isRecord(child) && !isWrappedOutput(child)) Object.assign(out, collectOutputs(child, depth + 1));
  }
  return out;
}

/** A single stack at the top level (`terraform output -json`, or one stack's outputs). */
function isFlatStack(root: Record<string, unknown>): boolean {
  const env = root[ENVIRONMENT_OUTPUT_ID];
  return Object.keys(root).some(isEndpointKey) || typeof env === "string" || isWrappedOutput(env);
}

/** Splits the file into stacks: `{ stack: outputs }`, or one unnamed stack of top-level outputs. */
function stacksOf(root: Record<string, unknown>): [string, Record<string, unknown>][] {
  if (isFlatStack(root)) return [["outputs", collectOutputs(root)]];
  return Object.entries(root)
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([name, v]): [string, Record<string, unknown>] => [name, collectOutputs(v)])
    .filter(([, outputs]) => Object.keys(outputs).length > 0);
}

function describeIssue(issue: z.core.$ZodIssue, value: Record<string, unknown>): string {
  const field = issue.path.join(".");
  if (issue.code === "invalid_type" && value[String(issue.path[0])] === undefined) return `missing field \`${field}\``;
  return `\`${field}\` ${issue.message.replace(/^Invalid input: /, "")}`;
}

/** Parses and validates the text of an outputs file. `file` is used in messages only. */
export function parseDeploymentOutputs(text: string, file: string): OutputsResult {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ file, problem: `is not valid JSON (${detail})`, fix: `${DEPLOY_HINT}, or fix the JSON syntax` }] };
  }
  if (!isRecord(root)) {
    return { ok: false, errors: [{ file, problem: "must hold a JSON object of stacks and their outputs", fix: DEPLOY_HINT }] };
  }
  const stacks = stacksOf(root);
  if (stacks.length === 0) {
    return {
      ok: false,
      errors: [
        {
          file,
          problem: `has no AiCockpit stack (no \`${ENVIRONMENT_OUTPUT_ID}\` or \`${ENDPOINT_OUTPUT_PATTERN}\` outputs found)`,
          fix: `${DEPLOY_HINT}; see docs/outputs.md for the format`,
        },
      ],
    };
  }

  const endpoints: Endpoint[] = [];
  const problems: OutputsProblem[] = [];
  for (const [stack, outputs] of stacks) {
    const names = Object.keys(outputs).filter(isEndpointKey);
    if (names.length === 0) {
      problems.push({
        file,
        where: stack,
        problem: `declares no \`${ENDPOINT_OUTPUT_PATTERN}\` outputs`,
        fix: "Add a model to the environment and deploy it again",
      });
      continue;
    }
    for (const outputName of names) {
      const where = `${stack}.${outputName}`;
      const parsed = endpointOutputSchema.safeParse(outputs[outputName]);
      if (!parsed.success) {
        const value = outputs[outputName];
        const what = isRecord(value) ? parsed.error.issues.map((i) => describeIssue(i, value)).join("; ") : "is not an object";
        problems.push({ file, where, problem: what, fix: `${DEPLOY_HINT}; fields are described in docs/outputs.md` });
        continue;
      }
      const e = parsed.data;
      endpoints.push({
        id: `${stack}/${e.served_model_name}`,
        stack,
        outputName,
        environment: e.environment,
        servedModelName: e.served_model_name,
        baseUrl: e.base_url.replace(/\/+$/, ""),
        role: e.role,
        fimTemplate: e.fim_template,
        maxModelLen: e.max_model_len,
        apiKeySecret: e.api_key_secret,
      });
    }
  }
  if (endpoints.length === 0) return { ok: false, errors: problems };
  const environments = [...new Set(endpoints.map((e) => e.environment))].sort();
  return { ok: true, endpoints, environments, warnings: problems };
}

/** True when an endpoint can serve inline completions (FIM). */
export function canComplete(e: Endpoint): boolean {
  return e.role !== "chat" && e.fimTemplate !== NO_FIM;
}

/** True when an endpoint can serve chat and edits. */
export function canChat(e: Endpoint): boolean {
  return e.role !== "completion";
}

/** What to use from a deployment, given the user's choices. */
export interface EndpointSelection {
  environment: string | undefined;
  completion: Endpoint | undefined;
  chat: Endpoint | undefined;
  /** Why a requested choice could not be honoured (shown, not thrown). */
  notes: string[];
}

/**
 * Picks the environment (the chosen one, else the only one, else `local`, else the first) and
 * its completion and chat models (the chosen served names, else the first able one).
 */
export function selectEndpoints(
  endpoints: readonly Endpoint[],
  choice: { environment?: string; completionModel?: string; chatModel?: string } = {},
): EndpointSelection {
  const notes: string[] = [];
  const environments = [...new Set(endpoints.map((e) => e.environment))];
  let environment = choice.environment || undefined;
  if (environment && !environments.includes(environment)) {
    notes.push(`Environment "${environment}" is not in the outputs (found: ${environments.join(", ")}).`);
    environment = undefined;
  }
  environment ??= environments.length === 1 ? environments[0] : environments.includes("local") ? "local" : environments[0];
  const inEnv = endpoints.filter((e) => e.environment === environment);
  const pick = (wanted: string | undefined, able: (e: Endpoint) => boolean, what: string): Endpoint | undefined => {
    if (wanted) {
      const found = inEnv.find((e) => e.servedModelName === wanted);
      if (found && able(found)) return found;
      notes.push(found ? `Model "${wanted}" is not deployed for ${what}.` : `Model "${wanted}" is not in environment "${environment}".`);
    }
    return inEnv.find(able);
  };
  const completion = pick(choice.completionModel, canComplete, "completions");
  const chat = pick(choice.chatModel, canChat, "chat");
  return { environment, completion, chat, notes };
}
