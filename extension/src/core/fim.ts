/**
 * Fill-in-the-middle prompt templates. vLLM's /v1/completions has no `suffix`, so the client
 * writes the model family's special tokens itself. The markers are the contract's (core/contract/fim.ts),
 * the same strings the check against the server's tokenizer verifies.
 */
import { FIM_SPECS } from "../../../core/contract/fim";
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

interface FamilyTemplate {
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

const QWEN: FamilyTemplate = {
  render(input) {
    const m = FIM_SPECS.qwen.markers;
    const fim = `${m.prefix}${input.prefix}${m.suffix}${input.suffix}${m.middle}`;
    const context = input.context ?? [];
    if (context.length === 0) return fim;
    // Repo-level format from the Qwen2.5-Coder README: repo name, then files after <|file_sep|>.
    let out = `${m.repoName}${input.repoName ?? "workspace"}\n`;
    for (const snippet of context) out += `${m.fileSep}${snippet.path}\n${snippet.text}\n`;
    return `${out}${m.fileSep}${input.filePath ?? "current"}\n${fim}`;
  },
};

const STARCODER: FamilyTemplate = {
  render(input) {
    const m = FIM_SPECS.starcoder.markers;
    const context = input.context ?? [];
    if (context.length === 0) return `${m.prefix}${input.prefix}${m.suffix}${input.suffix}${m.middle}`;
    // StarCoder2 repo-level FIM: the current file's path sits right after <fim_prefix>.
    let out = `${m.repoName}${input.repoName ?? "workspace"}`;
    for (const snippet of context) out += `${m.fileSep}${snippet.path}\n${snippet.text}`;
    return `${out}${m.fileSep}${m.prefix}${input.filePath ?? "current"}\n${input.prefix}${m.suffix}${input.suffix}${m.middle}`;
  },
};

const DEEPSEEK: FamilyTemplate = {
  render(input) {
    const m = FIM_SPECS.deepseek.markers;
    return `${m.prefix}${commentedContext(input)}${input.prefix}${m.suffix}${input.suffix}${m.middle}`;
  },
};

const CODESTRAL: FamilyTemplate = {
  render(input) {
    const m = FIM_SPECS.codestral.markers;
    // Suffix-first (SPM) order, as mistral-common's encode_fim writes it.
    return `${m.suffix}${input.suffix}${m.prefix}${commentedContext(input)}${input.prefix}`;
  },
};

const CODELLAMA: FamilyTemplate = {
  render(input) {
    const m = FIM_SPECS.codellama.markers;
    // The spaces around the tokens are part of Code Llama's infilling format.
    return `${m.prefix} ${commentedContext(input)}${input.prefix} ${m.suffix}${input.suffix} ${m.middle}`;
  },
};

/** One template per family of the contract: a family without one does not compile. */
const TEMPLATES: Record<FimFamily, FamilyTemplate> = {
  qwen: QWEN,
  deepseek: DEEPSEEK,
  starcoder: STARCODER,
  codestral: CODESTRAL,
  codellama: CODELLAMA,
};

/** Builds the FIM prompt for a family, with its stop strings (a fresh array the caller may extend). */
export function buildFimPrompt(family: FimFamily, input: FimInput): FimPrompt {
  return { prompt: TEMPLATES[family].render(input), stop: [...FIM_SPECS[family].stop] };
}

/** The stop strings of a family. */
export function fimStopTokens(family: FimFamily): readonly string[] {
  return FIM_SPECS[family].stop;
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
