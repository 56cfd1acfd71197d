/**
 * Fill-in-the-middle prompt templates. vLLM's /v1/completions has no `suffix`, so the client
 * writes the model family's special tokens itself. Token spellings follow each family's
 * tokenizer (DeepSeek uses full-width bars `｜` and `▁`, Codestral puts the suffix first).
 */
import { FIM_FAMILIES, type FimFamily } from "../../../core/contract/outputs";
import type { ContextSnippet } from "./context";
import { lineComment } from "./languages";

// The families are declared once, in the outputs contract the kit writes its outputs with.
export { FIM_FAMILIES, type FimFamily };

/** What goes into a FIM prompt. `context` snippets come first, each under a file-path header. */
export interface FimInput {
  prefix: string;
  suffix: string;
  /** Workspace-relative path of the current file (header for repo-level formats). */
  filePath?: string;
  languageId?: string;
  /** Repository / workspace name for formats with a repo token. */
  repoName?: string;
  context?: readonly ContextSnippet[];
}

/** A ready-to-send prompt and the stop strings of its family. */
export interface FimPrompt {
  prompt: string;
  stop: string[];
}

interface FamilySpec {
  stop: readonly string[];
  render(input: FimInput): string;
}

/** Context as comment-headed files, for families without file-separator tokens. */
function commentedContext(input: FimInput): string {
  const lang = input.languageId ?? "plaintext";
  let out = "";
  for (const snippet of input.context ?? []) {
    out += `${lineComment(snippet.languageId, `Path: ${snippet.path}`)}\n${snippet.text}\n\n`;
  }
  if (out && input.filePath) out += `${lineComment(lang, `Path: ${input.filePath}`)}\n`;
  return out;
}

const QWEN: FamilySpec = {
  stop: ["<|endoftext|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<|im_start|>", "<|im_end|>"],
  render(input) {
    const fim = `<|fim_prefix|>${input.prefix}<|fim_suffix|>${input.suffix}<|fim_middle|>`;
    const context = input.context ?? [];
    if (context.length === 0) return fim;
    // Repo-level format from the Qwen2.5-Coder README: repo name, then files after <|file_sep|>.
    let out = `<|repo_name|>${input.repoName ?? "workspace"}\n`;
    for (const snippet of context) out += `<|file_sep|>${snippet.path}\n${snippet.text}\n`;
    return `${out}<|file_sep|>${input.filePath ?? "current"}\n${fim}`;
  },
};

const STARCODER: FamilySpec = {
  stop: ["<|endoftext|>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<fim_pad>", "<file_sep>", "<repo_name>"],
  render(input) {
    const context = input.context ?? [];
    if (context.length === 0) return `<fim_prefix>${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
    // StarCoder2 repo-level FIM: the current file's path sits right after <fim_prefix>.
    let out = `<repo_name>${input.repoName ?? "workspace"}`;
    for (const snippet of context) out += `<file_sep>${snippet.path}\n${snippet.text}`;
    return `${out}<file_sep><fim_prefix>${input.filePath ?? "current"}\n${input.prefix}<fim_suffix>${input.suffix}<fim_middle>`;
  },
};

const DEEPSEEK: FamilySpec = {
  stop: ["<｜end▁of▁sentence｜>", "<|EOT|>", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"],
  render(input) {
    return `<｜fim▁begin｜>${commentedContext(input)}${input.prefix}<｜fim▁hole｜>${input.suffix}<｜fim▁end｜>`;
  },
};

const CODESTRAL: FamilySpec = {
  stop: ["</s>", "[PREFIX]", "[SUFFIX]", "[MIDDLE]"],
  render(input) {
    // Suffix-first (SPM) order, as mistral-common's encode_fim writes it.
    return `[SUFFIX]${input.suffix}[PREFIX]${commentedContext(input)}${input.prefix}`;
  },
};

const CODELLAMA: FamilySpec = {
  stop: ["<EOT>", "</s>", "<PRE>", "<SUF>", "<MID>"],
  render(input) {
    // The spaces around the tokens are part of Code Llama's infilling format.
    return `<PRE> ${commentedContext(input)}${input.prefix} <SUF>${input.suffix} <MID>`;
  },
};

/** One template per family of the contract: a family without one does not compile. */
const SPECS: Record<FimFamily, FamilySpec> = {
  qwen: QWEN,
  deepseek: DEEPSEEK,
  starcoder: STARCODER,
  codestral: CODESTRAL,
  codellama: CODELLAMA,
};

/** Builds the FIM prompt for a family, with its stop strings (a fresh array the caller may extend). */
export function buildFimPrompt(family: FimFamily, input: FimInput): FimPrompt {
  const spec = SPECS[family];
  return { prompt: spec.render(input), stop: [...spec.stop] };
}

/** The stop strings of a family. */
export function fimStopTokens(family: FimFamily): readonly string[] {
  return SPECS[family].stop;
}

/** True when `value` names a known FIM family. */
export function isFimFamily(value: unknown): value is FimFamily {
  return typeof value === "string" && (FIM_FAMILIES as readonly string[]).includes(value);
}

/**
 * Fallback only, for manual setups: guesses the family from a served model name. Deployment
 * outputs carry the real family; names like "my-coder" guess nothing (undefined).
 */
export function guessFimFamily(servedModelName: string): FimFamily | undefined {
  const name = servedModelName.toLowerCase();
  if (name.includes("codestral")) return "codestral";
  if (name.includes("starcoder")) return "starcoder";
  if (/code[-_ ]?llama/.test(name)) return "codellama";
  if (/deepseek[-_ ]?coder/.test(name)) return "deepseek";
  // Distilled "deepseek-…-qwen" models use the Qwen tokenizer, so Qwen wins over plain "deepseek".
  if (name.includes("qwen")) return "qwen";
  if (name.includes("deepseek")) return "deepseek";
  return undefined;
}
