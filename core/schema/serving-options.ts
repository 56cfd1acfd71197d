/**
 * The serving options of a model (issue 13 item 5) as the environment file states them: tool
 * calling, speculative decoding and LoRA adapters. Each is checked against the model and the
 * planner's memory math in core/validation/serving-options.ts, then passed as vLLM flags
 * (core/vllm-server-spec.ts).
 */
import { z } from "zod";
import { TOOL_CALL_PARSERS } from "../catalog/tool-parsers";
import { endpointOutputId } from "../contract/outputs";
import { huggingFaceRepoId, huggingFaceRevision, servedModelName } from "./identifiers";

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

/** An n-gram length of prompt lookup, in tokens. */
const promptLookupLength = (description: string, example: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(32)
    .optional()
    .meta({ description, examples: [example] });

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
    promptLookupMax: promptLookupLength(
      "Longest n-gram matched (`prompt_lookup_max`). Absent: vLLM's default (5, or promptLookupMin when set).",
      4,
    ),
    promptLookupMin: promptLookupLength(
      "Shortest n-gram matched (`prompt_lookup_min`). Absent: vLLM's default (5, or promptLookupMax when set).",
      2,
    ),
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
  revision: huggingFaceRevision()
    .optional()
    .meta({
      description:
        "The revision of the draft's Hugging Face repo that vLLM loads (the `revision` key of `--speculative-config`) and the cache warm-up downloads and verifies; a commit id pins it. Absent: main.",
      examples: ["0123456789abcdef0123456789abcdef01234567"],
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

/**
 * `--max-lora-rank` values every release the planner knows accepts: v0.10.1.1 and v0.11.0 check
 * `possible_max_ranks = (8, 16, 32, 64, 128, 256, 320, 512)` (LoRAConfig in vllm/config/__init__.py
 * @ c6d80a7a9 and vllm/config/lora.py @ f9e714813); v0.29.0's `MaxLoRARanks` adds 1
 * (vllm/config/lora.py @ 455edc022b45). Read 2026-11-26 in ivanium/vllm.
 */
export const LORA_MAX_RANKS = [8, 16, 32, 64, 128, 256, 320, 512] as const;

const loraAdapter = z.strictObject({
  name: servedModelName().meta({
    description:
      "The name clients send as `model` to use the adapter (its `--lora-modules` name); its own endpoint in the outputs. Unique among served names and adapters.",
    examples: ["coder-house-style"],
  }),
  source: huggingFaceRepoId("org/adapter").meta({
    description: "Hugging Face repo id of the adapter (vLLM downloads it at start-up, with the HF token if set).",
    examples: ["my-org/qwen-coder-house-style-lora"],
  }),
  rank: z
    .number()
    .int()
    .min(1)
    .max(512)
    .optional()
    .meta({
      description: "The adapter's rank (`r` in its adapter_config.json): refused above `maxRank`, which vLLM would refuse when loading it.",
      examples: [16],
    }),
});

export const loraField = z
  .strictObject({
    maxRank: z.literal(LORA_MAX_RANKS, { error: `maxRank must be one of ${LORA_MAX_RANKS.join(", ")} (the ranks vLLM accepts)` }).meta({
      description: `Largest adapter rank served (\`--max-lora-rank\`), one of ${LORA_MAX_RANKS.join(", ")}: vLLM reserves every slot at this rank, so it sizes the memory.`,
      examples: [16],
    }),
    maxLoras: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .meta({
        description: "Adapters used in one batch at most (`--max-loras`), each a reserved slot. Absent: one per adapter.",
        examples: [2],
      }),
    adapters: z
      .array(loraAdapter)
      .min(1, { error: "list at least one adapter, or remove lora" })
      .max(64)
      .meta({ description: "The adapters served on the model (`--lora-modules name=source`)." }),
  })
  .superRefine((lora, ctx) => {
    lora.adapters.forEach((adapter, index) => {
      if (adapter.rank !== undefined && adapter.rank > lora.maxRank) {
        ctx.addIssue({
          code: "custom",
          path: ["adapters", index, "rank"],
          message: `rank ${adapter.rank} is above maxRank ${lora.maxRank}: vLLM would refuse to load ${adapter.name}`,
          params: {
            fix: `raise maxRank to ${LORA_MAX_RANKS.find((rank) => rank >= adapter.rank!) ?? 512}, or serve an adapter of rank ≤ ${lora.maxRank}`,
          },
        });
      }
    });
    if (lora.maxLoras !== undefined && lora.maxLoras > lora.adapters.length) {
      ctx.addIssue({
        code: "custom",
        path: ["maxLoras"],
        message: `${lora.maxLoras} slots for ${lora.adapters.length} adapter(s): the extra slots hold GPU memory and serve nothing`,
        params: { fix: `set maxLoras ≤ ${lora.adapters.length}, or leave it out` },
      });
    }
  })
  .optional()
  .meta({
    description: "LoRA adapters served on the model, each under its own name (`--enable-lora`); the planner reserves their slots' memory.",
    examples: [{ maxRank: 16, adapters: [{ name: "coder-house-style", source: "my-org/qwen-coder-house-style-lora", rank: 16 }] }],
  });

export type LoraConfig = NonNullable<z.infer<typeof loraField>>;

/** Every name a model is served under: its own, then its adapters'. */
export function servedNames(model: { servedName: string; lora?: LoraConfig }): string[] {
  return [model.servedName, ...(model.lora?.adapters.map((adapter) => adapter.name) ?? [])];
}

/**
 * An adapter's name is a `model` clients send and an output id (`endpoint_<name>`), so it must
 * differ from every served model's and every other adapter's, also once punctuation becomes `_`.
 */
export function adapterNameCollisions(models: readonly { servedName: string; lora?: LoraConfig }[], ctx: z.RefinementCtx): void {
  const taken = new Map<string, string>();
  models.forEach((model, index) => taken.set(endpointOutputId(model.servedName), `models[${index}].servedName "${model.servedName}"`));
  models.forEach((model, index) => {
    model.lora?.adapters.forEach((adapter, adapterIndex) => {
      const id = endpointOutputId(adapter.name);
      const other = taken.get(id);
      if (other) {
        ctx.addIssue({
          code: "custom",
          path: ["models", index, "lora", "adapters", adapterIndex, "name"],
          message: `"${adapter.name}" is taken by ${other} (both are served names, and both become the output ${id})`,
          params: { fix: "give the adapter a name of its own" },
        });
      } else {
        taken.set(id, `models[${index}].lora.adapters[${adapterIndex}].name "${adapter.name}"`);
      }
    });
  });
}
