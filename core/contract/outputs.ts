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
  /** `<namespace>/<secret name>` of the Secret holding the API key: its name, never its value. */
  api_key_secret: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must look like <namespace>/<secret name>"),
  /**
   * The server parses tool calls (vLLM started with --enable-auto-tool-choice and the model's
   * --tool-call-parser). Absent in the outputs of kits before it was added: unknown, not false.
   */
  tool_calling: z.boolean().optional(),
});

/** An `endpoint_<model>` output value, as the kit writes it and the extension reads it. */
export type EndpointOutput = z.output<typeof endpointOutputSchema>;
