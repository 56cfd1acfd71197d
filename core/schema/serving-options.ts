/**
 * The serving options of a model (issue 13 item 5) as the environment file states them: tool
 * calling, speculative decoding and LoRA adapters. Each is checked against the model and the
 * planner's memory math in core/validation/serving-options.ts, then passed as vLLM flags
 * (core/vllm-server-spec.ts).
 */
import { z } from "zod";
import { TOOL_CALL_PARSERS } from "../catalog/tool-parsers";

export const toolCallingField = z.boolean().default(false).meta({
  description:
    "`true` starts vLLM with `--enable-auto-tool-choice` and the model's `--tool-call-parser` (from the catalog, or `toolCallParser` of a model outside it), so OpenAI-style `tools` work (agent mode); the outputs list the capability for the extension. Refused on a `role: completion` model and on a model with no known parser.",
});

export const toolCallParserField = z
  .enum(TOOL_CALL_PARSERS)
  .optional()
  .meta({
    description:
      "vLLM's `--tool-call-parser` for this model's tool-call format (vLLM's tool-calling docs list which model uses which); needed for `toolCalling: true`.",
    examples: ["hermes"],
  });

/**
 * Speculative decoding, as vLLM's `--speculative-config` JSON takes it (SpeculativeConfig in
 * vllm/config/speculative.py, ivanium/vllm @ 455edc022b45, read 2026-11-26): `method`,
 * `num_speculative_tokens` (> 0), `model` for a draft, `prompt_lookup_max`/`_min` (≥ 1, min ≤ max)
 * for n-gram lookup. More than 16 proposed tokens is a typo: acceptance falls with each token.
 */
const numSpeculativeTokens = z
  .number()
  .int()
  .min(1)
  .max(16)
  .meta({ description: "Tokens proposed per step (`num_speculative_tokens`); the target model verifies them in one pass.", examples: [4] });

const ngramSpeculation = z
  .strictObject({
    method: z.literal("ngram").meta({
      description:
        "Prompt lookup: proposes the tokens that followed the last n-gram where it occurred earlier in the prompt (vLLM's CPU n-gram proposer): no GPU memory, and code edits repeat their context often.",
    }),
    numSpeculativeTokens,
    promptLookupMax: z
      .number()
      .int()
      .min(1)
      .max(32)
      .optional()
      .meta({
        description: "Longest n-gram matched (`prompt_lookup_max`). Absent: vLLM's default (5, or promptLookupMin when set).",
        examples: [4],
      }),
    promptLookupMin: z
      .number()
      .int()
      .min(1)
      .max(32)
      .optional()
      .meta({
        description: "Shortest n-gram matched (`prompt_lookup_min`). Absent: vLLM's default (5, or promptLookupMax when set).",
        examples: [2],
      }),
  })
  .refine((s) => s.promptLookupMin === undefined || s.promptLookupMax === undefined || s.promptLookupMin <= s.promptLookupMax, {
    path: ["promptLookupMin"],
    error: "promptLookupMin is above promptLookupMax (vLLM refuses it); lower promptLookupMin or raise promptLookupMax",
  });

const draftSpeculation = z.strictObject({
  method: z.literal("draft").meta({
    description:
      "A small draft model of the same family proposes tokens (vLLM's `draft_model` method): its weights and KV cache share the GPUs' budget, which the planner counts.",
  }),
  model: z
    .string()
    .min(1)
    .max(96)
    .meta({
      description: "Catalog id of the draft model: same tokenizer and vocabulary as the served model, and smaller.",
      examples: ["starcoder2-3b"],
    }),
  numSpeculativeTokens,
});

export const speculativeField = z
  .discriminatedUnion("method", [ngramSpeculation, draftSpeculation], { error: "speculative.method must be ngram or draft" })
  .optional()
  .meta({
    description:
      "Speculative decoding (`--speculative-config`): cheap proposals the model verifies in one pass, so each step can emit several tokens; it pays off when the GPU is not saturated, as with inline completions. Absent: off.",
    examples: [{ method: "ngram", numSpeculativeTokens: 4, promptLookupMax: 4 }],
  });

export type SpeculativeConfig = NonNullable<z.infer<typeof speculativeField>>;
