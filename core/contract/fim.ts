/**
 * Fill-in-the-middle markers and their check against the server's tokenizer, shared by the
 * extension (its prompt templates, its check on connect) and the kit's `doctor`. A FIM prompt
 * only works when every marker the template writes is ONE special token for the served model:
 * a wrong family, or a tokenizer that reads the markers as plain text, splits them, and the
 * model then answers with garbage rather than an error. Pure: zod only.
 */
import { z } from "zod";
import type { FimFamily } from "./outputs";

/** What a marker does in the template. */
export type FimMarkerRole = "prefix" | "suffix" | "middle" | "repoName" | "fileSep";

/** A family's special strings. */
export interface FimFamilySpec {
  /** Markers the prompt template writes, by role: each must be one token on the server. */
  readonly markers: {
    readonly prefix: string;
    readonly suffix: string;
    readonly middle?: string;
    readonly repoName?: string;
    readonly fileSep?: string;
  };
  /** Stop strings: the markers, end-of-text and the family's other control tokens. */
  readonly stop: readonly string[];
}

const QWEN = {
  prefix: "<|fim_prefix|>",
  suffix: "<|fim_suffix|>",
  middle: "<|fim_middle|>",
  repoName: "<|repo_name|>",
  fileSep: "<|file_sep|>",
} as const;
const STARCODER = {
  prefix: "<fim_prefix>",
  suffix: "<fim_suffix>",
  middle: "<fim_middle>",
  repoName: "<repo_name>",
  fileSep: "<file_sep>",
} as const;
// DeepSeek spells its markers with full-width bars `｜` (U+FF5C) and `▁` (U+2581), not ASCII.
const DEEPSEEK = { prefix: "<｜fim▁begin｜>", suffix: "<｜fim▁hole｜>", middle: "<｜fim▁end｜>" } as const;
// Codestral writes the suffix first and has no middle marker in the prompt (mistral-common's encode_fim).
const CODESTRAL = { prefix: "[PREFIX]", suffix: "[SUFFIX]" } as const;
const CODELLAMA = { prefix: "<PRE>", suffix: "<SUF>", middle: "<MID>" } as const;

/** Every family's markers and stop strings, declared once. */
export const FIM_SPECS = {
  qwen: {
    markers: QWEN,
    stop: [
      "<|endoftext|>",
      QWEN.prefix,
      QWEN.suffix,
      QWEN.middle,
      "<|fim_pad|>",
      QWEN.repoName,
      QWEN.fileSep,
      "<|im_start|>",
      "<|im_end|>",
    ],
  },
  deepseek: { markers: DEEPSEEK, stop: ["<｜end▁of▁sentence｜>", "<|EOT|>", DEEPSEEK.prefix, DEEPSEEK.suffix, DEEPSEEK.middle] },
  starcoder: {
    markers: STARCODER,
    stop: ["<|endoftext|>", STARCODER.prefix, STARCODER.suffix, STARCODER.middle, "<fim_pad>", STARCODER.fileSep, STARCODER.repoName],
  },
  codestral: { markers: CODESTRAL, stop: ["</s>", CODESTRAL.prefix, CODESTRAL.suffix, "[MIDDLE]"] },
  codellama: { markers: CODELLAMA, stop: ["<EOT>", "</s>", CODELLAMA.prefix, CODELLAMA.suffix, CODELLAMA.middle] },
} as const satisfies Record<FimFamily, FimFamilySpec>;

/**
 * vLLM's tokenizer endpoint. vLLM serves it at `/tokenize`, outside `/v1`, where its API key
 * does not reach; the kit's gateway exposes it as `/v1/tokenize` behind the key (gateway-config.ts).
 * Request and response as vLLM declares them in vllm/entrypoints/serve/tokenize/protocol.py
 * (TokenizeCompletionRequest: model, prompt, add_special_tokens = true by default;
 * TokenizeResponse: count, max_model_len, tokens) and serves them in
 * vllm/entrypoints/serve/tokenize/api_router.py (`@router.post("/tokenize")`), vllm-project/vllm
 * main as stored at commit 030ea52e, read 2026-11-26.
 */
export const VLLM_TOKENIZE_PATH = "/tokenize";
/** The same endpoint through the kit's gateway, under the base URL's `/v1` and its API key. */
export const GATEWAY_TOKENIZE_PATH = "/v1/tokenize";

export const tokenizeRequestSchema = z.object({
  model: z.string().min(1),
  prompt: z.string(),
  /** false: no BOS or other tokens around the text, so a marker alone counts as itself. */
  add_special_tokens: z.boolean(),
});
export type TokenizeRequest = z.output<typeof tokenizeRequestSchema>;

/** vLLM also returns `token_strs` when asked; unknown fields are ignored. */
export const tokenizeResponseSchema = z.object({
  count: z.number().int().nonnegative(),
  max_model_len: z.number().int().positive(),
  tokens: z.array(z.number().int().nonnegative()),
});
export type TokenizeResponse = z.output<typeof tokenizeResponseSchema>;

/** The request body that tokenizes `text` alone, without special tokens added around it. */
export function tokenizeRequest(model: string, text: string): TokenizeRequest {
  return { model, prompt: text, add_special_tokens: false };
}

/** Token ids of a text on the server (a call to its tokenize endpoint). */
export type Tokenize = (text: string) => Promise<readonly number[]>;

/** One marker as the server tokenizes it. */
export interface FimMarkerCheck {
  /** Its role in the prompt template, or `stop` for a stop string the template never writes. */
  readonly role: FimMarkerRole | "stop";
  readonly marker: string;
  readonly tokenIds: readonly number[];
  /** One token: the tokenizer knows it as a special token. */
  readonly single: boolean;
}

/** The verdict on a family's markers for one served model. */
export interface FimVerdict {
  readonly family: FimFamily;
  /** Every marker the template writes is a single token. */
  readonly ok: boolean;
  readonly markers: readonly FimMarkerCheck[];
  /** Ids of the single-token stop strings, for vLLM's `stop_token_ids`. */
  readonly stopTokenIds: readonly number[];
  /** The markers that split. */
  readonly split: readonly FimMarkerCheck[];
  /** Other families whose template markers are all single tokens here (checked only when `ok` is false). */
  readonly matchingFamilies: readonly FimFamily[];
  /** For people: all is well, or which marker splits and what to change. */
  readonly message: string;
}

/** The strings to tokenize for a family: template markers first, then the other stop strings. */
function markerList(family: FimFamily): { role: FimMarkerRole | "stop"; marker: string }[] {
  const spec: FimFamilySpec = FIM_SPECS[family];
  const out: { role: FimMarkerRole | "stop"; marker: string }[] = [];
  for (const [role, marker] of Object.entries(spec.markers) as [FimMarkerRole, string][]) out.push({ role, marker });
  for (const marker of spec.stop) if (!out.some((m) => m.marker === marker)) out.push({ role: "stop", marker });
  return out;
}

async function checkMarkers(family: FimFamily, tokenize: Tokenize): Promise<FimMarkerCheck[]> {
  return Promise.all(
    markerList(family).map(async ({ role, marker }) => {
      const tokenIds = [...(await tokenize(marker))];
      return { role, marker, tokenIds, single: tokenIds.length === 1 };
    }),
  );
}

const templateMarkersSingle = (checks: readonly FimMarkerCheck[]): boolean => checks.every((c) => c.role === "stop" || c.single);

/**
 * Tokenizes each marker and stop string of `family` on the server. Throws only what `tokenize`
 * throws (server unreachable, no tokenize endpoint): a verdict needs the server's answer.
 */
export async function verifyFimMarkers(family: FimFamily, tokenize: Tokenize): Promise<FimVerdict> {
  const markers = await checkMarkers(family, tokenize);
  const split = markers.filter((c) => c.role !== "stop" && !c.single);
  const stopTokenIds = [...new Set(markers.filter((c) => c.single).map((c) => c.tokenIds[0]))];
  if (split.length === 0) {
    return {
      family,
      ok: true,
      markers,
      stopTokenIds,
      split,
      matchingFamilies: [],
      message: `The ${family} FIM markers are single tokens on the server.`,
    };
  }
  const matchingFamilies: FimFamily[] = [];
  for (const other of Object.keys(FIM_SPECS) as FimFamily[]) {
    if (other !== family && templateMarkersSingle(await checkMarkers(other, tokenize))) matchingFamilies.push(other);
  }
  return { family, ok: false, markers, stopTokenIds, split, matchingFamilies, message: splitMessage(family, split, matchingFamilies) };
}

function splitMessage(family: FimFamily, split: readonly FimMarkerCheck[], matching: readonly FimFamily[]): string {
  const which = split.map((c) => `"${c.marker}" into ${c.tokenIds.length} tokens`).join(", ");
  const head = `The server's tokenizer splits the ${family} FIM marker${split.length > 1 ? "s" : ""} ${which}, so inline completions would be garbage.`;
  if (matching.length > 0) {
    return `${head} Its tokenizer has the ${matching.join(" / ")} markers as single tokens: set the model's FIM family (fimTemplate) to ${matching[0]}.`;
  }
  // vLLM's ModelConfig.tokenizer_mode: "auto" picks mistral_common for Mistral models, "hf" the fast HF tokenizer
  // (vllm-project/vllm ModelConfig docstring, read 2026-11-26).
  const mode =
    family === "codestral"
      ? " This is the reported failure of Codestral under vLLM's mistral tokenizer mode (which `auto` picks for Mistral models): serve it with `--tokenizer-mode hf`."
      : "";
  return `${head} Check that the served model is a FIM-trained ${family} model, that its FIM family (fimTemplate) is right, and that its tokenizer mode reads special tokens in text as special tokens.${mode}`;
}
