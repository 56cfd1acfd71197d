/**
 * Token budget without a tokenizer: code BPE vocabularies average 3–4 characters per token, so
 * counting 3 over-estimates slightly and keeps prompts under the server's --max-model-len.
 */

/** Characters assumed per token (conservative). */
export const CHARS_PER_TOKEN = 3;

/** Tokens reserved for the template's special tokens and headers. */
export const TEMPLATE_OVERHEAD_TOKENS = 32;

/** Estimated token count of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Character count that fits an estimated token budget. */
export function tokensToChars(tokens: number): number {
  return Math.max(0, Math.floor(tokens * CHARS_PER_TOKEN));
}

/**
 * Prompt token budget: what the model's context leaves after the new tokens and the template,
 * optionally capped (long prompts cost latency on every keystroke).
 */
export function promptBudgetTokens(maxModelLen: number, maxNewTokens: number, cap?: number): number {
  const room = maxModelLen - maxNewTokens - TEMPLATE_OVERHEAD_TOKENS;
  return Math.max(0, cap === undefined ? room : Math.min(room, cap));
}

/** Prefix and suffix after trimming. */
export interface TrimmedPair {
  prefix: string;
  suffix: string;
}

/**
 * Keeps the end of `prefix` (cut at a line start) and the start of `suffix` (cut after a line
 * end) within `budgetTokens`. The suffix gets at most `suffixShare` of the budget; whatever one
 * side does not use goes to the other.
 */
export function trimPrefixSuffix(prefix: string, suffix: string, budgetTokens: number, suffixShare = 0.25): TrimmedPair {
  const budget = tokensToChars(budgetTokens);
  if (prefix.length + suffix.length <= budget) return { prefix, suffix };
  const suffixWanted = Math.floor(budget * suffixShare);
  const suffixChars = Math.min(suffix.length, Math.max(suffixWanted, budget - prefix.length));
  const prefixChars = Math.min(prefix.length, budget - suffixChars);
  return { prefix: keepTail(prefix, prefixChars), suffix: keepHead(suffix, suffixChars) };
}

/** The last `chars` characters of `text`, starting at a line start when the cut falls mid-line. */
export function keepTail(text: string, chars: number): string {
  if (chars >= text.length) return text;
  if (chars <= 0) return "";
  const start = text.length - chars;
  if (text.charCodeAt(start - 1) === 10) return text.slice(start);
  const nl = text.indexOf("\n", start);
  // A single line longer than the budget: keep its tail rather than nothing.
  return nl === -1 ? text.slice(start) : text.slice(nl + 1);
}

/** The first `chars` characters of `text`, ending after a newline when the cut falls mid-line. */
export function keepHead(text: string, chars: number): string {
  if (chars >= text.length) return text;
  if (chars <= 0) return "";
  if (text.charCodeAt(chars - 1) === 10) return text.slice(0, chars);
  const nl = text.lastIndexOf("\n", chars - 1);
  return nl === -1 ? text.slice(0, chars) : text.slice(0, nl + 1);
}
