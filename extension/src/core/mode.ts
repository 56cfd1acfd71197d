/** Single-line or multi-line completion, decided from the cursor's line. */

/** `single-line` stops at the end of the line; `multi-line` at the end of the block. */
export type CompletionMode = "single-line" | "multi-line";

/** Text after the cursor that still counts as "end of line": closers and punctuation. */
const TRAILING_CLOSERS = /^[\s)\]}>'"`;,]*$/;
/** Line endings that open a block: `{`, `(`, `[`, `:` (Python), `=>`, `->`, `do`, `then`, … */
const BLOCK_OPENER = /(?:[{([:]|=>|->|\bdo|\bthen|\bbegin|\belse)\s*$/;

/** Leading whitespace of a line. */
export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.slice(0, i);
}

/**
 * Multi-line at a line start (only whitespace before the cursor) or after a block opener, when
 * nothing but closers follows the cursor; single-line otherwise (mid-line or after a statement).
 */
export function decideCompletionMode(linePrefix: string, lineSuffix: string): CompletionMode {
  if (!TRAILING_CLOSERS.test(lineSuffix)) return "single-line";
  const before = linePrefix.trimEnd();
  if (before === "") return "multi-line";
  return BLOCK_OPENER.test(before) ? "multi-line" : "single-line";
}
