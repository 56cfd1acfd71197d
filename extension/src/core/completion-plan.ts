/**
 * The keystroke path in one place: from the document and cursor to a ready request (prompt,
 * stop strings, mode), and from the streamed text to the suggestion. Works on a window around
 * the cursor so a 5,000-line file is never split into lines.
 */
import { assembleContext, type EditedRange, type FileSnapshot } from "./context";
import { buildFimPrompt, type FimFamily } from "./fim";
import { type CompletionMode, decideCompletionMode } from "./mode";
import { postProcessCompletion } from "./postprocess";
import { CompletionStreamAccumulator } from "./stream";
import type { SymbolSnippet } from "./symbol-context";
import { estimateTokens, promptBudgetTokens, tokensToChars, trimPrefixSuffix } from "./tokens";

/** Inputs to {@link planCompletion}. */
export interface CompletionRequestInput {
  document: { path: string; languageId: string; text: string; offset: number };
  family: FimFamily;
  maxModelLen: number;
  /** `aicockpit.maxTokens`. */
  maxTokens: number;
  openFiles?: readonly FileSnapshot[];
  importedFiles?: readonly FileSnapshot[];
  recentEdits?: readonly EditedRange[];
  /** Definitions of the symbols near the cursor (symbol-context.ts); they replace imported-file heads. */
  symbols?: readonly SymbolSnippet[];
  /** Token ids of the family's markers on the server (core/contract/fim.ts), sent as `stop_token_ids`. */
  stopTokenIds?: readonly number[];
  repoName?: string;
  /** Cap on prompt tokens (latency); default 4,096. */
  maxPromptTokens?: number;
  /** Share of the prompt budget for other files; default 0.3. */
  contextShare?: number;
  isExcluded?: (path: string) => boolean;
}

/** A planned request plus what post-processing needs later. */
export interface CompletionPlan {
  prompt: string;
  stop: string[];
  /** vLLM's `stop_token_ids`: the markers as the server's tokenizer has them (empty: not verified). */
  stopTokenIds: number[];
  maxTokens: number;
  mode: CompletionMode;
  /** Text of the cursor's line before / after the cursor. */
  linePrefix: string;
  lineSuffix: string;
  /** Prefix and suffix as sent (trimmed). */
  prefix: string;
  suffix: string;
  contextPaths: string[];
  promptTokens: number;
}

/** Slices before the cursor (up to `before` chars) and after it (up to `after`). */
export function cursorWindow(text: string, offset: number, before: number, after: number): { prefix: string; suffix: string } {
  const start = Math.max(0, offset - before);
  return { prefix: text.slice(start, offset), suffix: text.slice(offset, Math.min(text.length, offset + after)) };
}

/** The cursor's line split at the cursor, found by scanning only that line. */
export function cursorLine(text: string, offset: number): { linePrefix: string; lineSuffix: string } {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let lineEnd = text.indexOf("\n", offset);
  if (lineEnd === -1) lineEnd = text.length;
  if (lineEnd > offset && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  return { linePrefix: text.slice(lineStart, offset), lineSuffix: text.slice(offset, lineEnd) };
}

/** Builds the request for a completion at the cursor. */
export function planCompletion(input: CompletionRequestInput): CompletionPlan {
  const { document, family } = input;
  const budget = promptBudgetTokens(input.maxModelLen, input.maxTokens, input.maxPromptTokens ?? 4_096);
  const contextChars = tokensToChars(budget * (input.contextShare ?? 0.3));
  const { linePrefix, lineSuffix } = cursorLine(document.text, document.offset);
  const mode = decideCompletionMode(linePrefix, lineSuffix);

  const context = assembleContext({
    current: document,
    openFiles: input.openFiles,
    importedFiles: input.importedFiles,
    recentEdits: input.recentEdits,
    symbols: input.symbols,
    budgetChars: contextChars,
    isExcluded: input.isExcluded,
  });
  let used = 0;
  for (const snippet of context) used += snippet.text.length + snippet.path.length + 16;
  const fileBudget = Math.max(0, budget - Math.ceil(used / 3));
  const windowChars = tokensToChars(fileBudget);
  const window = cursorWindow(document.text, document.offset, windowChars, windowChars);
  const { prefix, suffix } = trimPrefixSuffix(window.prefix, window.suffix, fileBudget);

  const built = buildFimPrompt(family, {
    prefix,
    suffix,
    filePath: document.path,
    languageId: document.languageId,
    repoName: input.repoName,
    context,
  });
  // Single-line requests let the server stop at the newline too.
  if (mode === "single-line") built.stop.push("\n");
  return {
    prompt: built.prompt,
    stop: built.stop,
    stopTokenIds: [...(input.stopTokenIds ?? [])],
    maxTokens: input.maxTokens,
    mode,
    linePrefix,
    lineSuffix,
    prefix,
    suffix,
    contextPaths: context.map((c) => c.path),
    promptTokens: estimateTokens(built.prompt),
  };
}

/** A stream accumulator set up for this plan. */
export function createAccumulator(plan: CompletionPlan, tabSize?: number): CompletionStreamAccumulator {
  return new CompletionStreamAccumulator({ mode: plan.mode, linePrefix: plan.linePrefix, tabSize });
}

/** Post-processes the final streamed text for this plan; undefined when nothing to show. */
export function finishCompletion(
  plan: CompletionPlan,
  text: string,
  editor: { insertSpaces?: boolean; tabSize?: number; eol?: "\n" | "\r\n" } = {},
): string | undefined {
  return postProcessCompletion(text, {
    mode: plan.mode,
    linePrefix: plan.linePrefix,
    lineSuffix: plan.lineSuffix,
    suffix: plan.suffix,
    ...editor,
  });
}
