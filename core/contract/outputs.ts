/**
 * The deployment-outputs contract (docs/outputs.md): what every environment stack outputs and
 * what the VS Code extension reads. The kit builds its Terraform outputs against these types and
 * the extension parses them with this schema, so both sides change together or not at all.
 * Pure: zod only, so the extension bundle can import it from the repository.
 */
import { z } from "zod";

/** What a deployed model is for: inline completions, chat and edits, or both. */
export const MODEL_ROLES = ["completion", "chat", "both"] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** Fill-in-the-middle prompt families; the extension has one prompt template per family. */
export const FIM_FAMILIES = ["qwen", "deepseek", "starcoder", "codestral", "codellama"] as const;
export type FimFamily = (typeof FIM_FAMILIES)[number];

/** The `fimTemplate` of a model that has no fill-in-the-middle format (chat only). */
export const NO_FIM = "none";

/** What a model's FIM template may be: a family, or {@link NO_FIM}. */
export const FIM_TEMPLATES = [...FIM_FAMILIES, NO_FIM] as const;
export type FimTemplate = (typeof FIM_TEMPLATES)[number];

/** Output holding the environment name, beside the endpoints. */
export const ENVIRONMENT_OUTPUT_ID = "environment";

/** Every endpoint output's id starts with this. */
export const ENDPOINT_OUTPUT_PREFIX = "endpoint_";

/**
 * Terraform output id of a model's endpoint: `endpoint_qwen2_5_coder_7b`. Every character
 * outside `[a-z0-9]` becomes `_`, so the id is a valid Terraform name.
 */
export function endpointOutputId(servedName: string): string {
  return `${ENDPOINT_OUTPUT_PREFIX}${servedName.replace(/[^a-z0-9]/g, "_")}`;
}

/** The entry of the Secret `api_key_secret` names that holds the API key (its `-next` entry holds the next one). */
export const API_KEY_SECRET_KEY = "api-key";

/** The docker form of `api_key_secret`: `file:<absolute path on the Docker host>`. */
export const API_KEY_FILE_PREFIX = "file:";

// Kubernetes names have no `:`, so the two forms never overlap (`file:a/b` is no Secret).
const API_KEY_IN_SECRET = /^[^/\s:]+\/[^/\s:]+$/;
const API_KEY_IN_FILE = new RegExp(`^${API_KEY_FILE_PREFIX}/\\S*[^/\\s]$`);

/**
 * Where the API key of an endpoint is, as `api_key_secret` names it (never the key itself): a
 * Kubernetes Secret (`<namespace>/<secret name>`, entry `api-key`), or on a docker target the
 * file on the Docker host the vLLM containers read it from (`file:<absolute path>`).
 */
export type ApiKeyLocation =
  { readonly kind: "secret"; readonly namespace: string; readonly name: string } | { readonly kind: "file"; readonly path: string };

/** The `api_key_secret` value of a docker target's key file. */
export function apiKeyFileReference(hostPath: string): string {
  return `${API_KEY_FILE_PREFIX}${hostPath}`;
}

/** Reads an `api_key_secret` value the schema accepted. */
export function apiKeyLocation(value: string): ApiKeyLocation {
  if (value.startsWith(API_KEY_FILE_PREFIX)) return { kind: "file", path: value.slice(API_KEY_FILE_PREFIX.length) };
  const [namespace, name] = value.split("/");
  return { kind: "secret", namespace, name };
}

/**
 * One `endpoint_<model>` output value. Unknown fields are ignored (not refused), so an older
 * extension still reads the outputs of a newer kit that adds a field.
 */
export const endpointOutputSchema = z.object({
  /** The environment the model belongs to. */
  environment: z.string().min(1),
  /** The `model` clients send (vLLM's --served-model-name). */
  served_model_name: z.string().min(1),
  /** OpenAI-compatible base URL, ending in `/v1`. */
  base_url: z.url().refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://"),
  role: z.enum(MODEL_ROLES),
  fim_template: z.enum(FIM_TEMPLATES),
  /** Context length the server was started with (--max-model-len). */
  max_model_len: z.number().int().positive(),
  /** Where the API key is (ApiKeyLocation): a Secret's `<namespace>/<secret name>`, or `file:<path>` on docker; never the key. */
  api_key_secret: z
    .string()
    .refine(
      (value) => API_KEY_IN_SECRET.test(value) || API_KEY_IN_FILE.test(value),
      "must look like <namespace>/<secret name>, or file:<absolute path> for a key file on a Docker host",
    ),
  /**
   * The server parses tool calls (vLLM started with --enable-auto-tool-choice and the model's
   * --tool-call-parser). Absent in the outputs of kits before it was added: unknown, not false.
   */
  tool_calling: z.boolean().optional(),
});

/** An `endpoint_<model>` output value, as the kit writes it and the extension reads it. */
export type EndpointOutput = z.output<typeof endpointOutputSchema>;
