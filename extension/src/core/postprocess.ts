/**
 * Cleans a raw completion before it is shown: trailing whitespace, text that repeats what
 * already follows the cursor, indentation in the editor's style, and empty results.
 */
import { type CompletionMode, leadingWhitespace } from "./mode";
import { indentWidth } from "./stream";

/** Where the completion goes and how the editor indents. */
export interface PostProcessContext {
  mode: CompletionMode;
  linePrefix: string;
  /** Rest of the cursor's line after the cursor. */
  lineSuffix: string;
  /** Text after the cursor (its first lines are enough). */
  suffix: string;
  insertSpaces?: boolean;
  tabSize?: number;
  /** End-of-line sequence of the document; the result uses it. */
  eol?: "\n" | "\r\n";
}

/** How many following lines are compared against the completion's tail. */
const SUFFIX_LINES_COMPARED = 8;
const ONLY_CLOSERS = /^[)\]}>'"`;,\s]+$/;

/** The cleaned completion, or undefined when nothing worth showing is left. */
export function postProcessCompletion(raw: string, ctx: PostProcessContext): string | undefined {
  let lines = raw
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return undefined;

  if (ctx.mode === "single-line" || lines.length === 1) {
    lines = [stripLineSuffixOverlap(lines[0], ctx.lineSuffix), ...lines.slice(1)];
  }
  lines = dropRepeatedSuffixLines(lines, ctx.suffix, ctx.lineSuffix);
  if (lines.every((l) => l.trim() === "")) return undefined;

  lines = reindent(lines, ctx);
  const text = lines.join(ctx.eol ?? "\n");
  return text.trim() === "" ? undefined : text;
}

/**
 * Removes the end of a one-line completion that the rest of the line already has: the whole
 * rest (`foo(a)` before `)` → `foo(a`), or closers that overlap it (`x]);` before `]);`).
 */
export function stripLineSuffixOverlap(line: string, lineSuffix: string): string {
  const rest = lineSuffix.trim();
  if (rest === "") return line;
  const trimmed = line.trimEnd();
  if (trimmed.endsWith(rest)) return trimmed.slice(0, trimmed.length - rest.length).trimEnd() || "";
  for (let k = Math.min(rest.length, trimmed.length); k > 0; k--) {
    const overlap = rest.slice(0, k);
    if (ONLY_CLOSERS.test(overlap) && trimmed.endsWith(overlap)) return trimmed.slice(0, trimmed.length - k);
  }
  return line;
}

/** The next non-empty lines after the cursor's line, trimmed, for comparison. */
function followingLines(suffix: string, lineSuffix: string): string[] {
  const out: string[] = [];
  // Skip the rest of the cursor's line: it is handled by stripLineSuffixOverlap.
  let start = suffix.startsWith(lineSuffix) ? lineSuffix.length : 0;
  if (suffix.charCodeAt(start) === 13) start++;
  if (suffix.charCodeAt(start) === 10) start++;
  else if (start === 0 && lineSuffix !== "") return out;
  while (start < suffix.length && out.length < SUFFIX_LINES_COMPARED) {
    let nl = suffix.indexOf("\n", start);
    if (nl === -1) nl = suffix.length;
    const line = suffix.slice(start, nl).trim();
    if (line !== "") out.push(line);
    start = nl + 1;
  }
  return out;
}

/**
 * Drops the completion's trailing lines when they repeat the lines that follow the cursor
 * (the model "completed" into code that is already there).
 */
export function dropRepeatedSuffixLines(lines: string[], suffix: string, lineSuffix: string): string[] {
  const next = followingLines(suffix, lineSuffix);
  if (next.length === 0 || lines.length < 2) return lines;
  // Find the earliest line i (not the first) from which the rest equals the start of `next`.
  for (let i = 1; i < lines.length; i++) {
    const tail = lines.slice(i).filter((l) => l.trim() !== "");
    if (tail.length === 0 || tail.length > next.length) continue;
    if (tail.every((l, j) => l.trim() === next[j])) return trimTrailingBlank(lines.slice(0, i));
  }
  return lines;
}

function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  return lines.slice(0, end);
}

/** Converts leading indentation of lines after the first to the editor's tabs/spaces style. */
function reindent(lines: string[], ctx: PostProcessContext): string[] {
  if (ctx.insertSpaces === undefined || lines.length < 2) return lines;
  const tabSize = ctx.tabSize ?? 4;
  return lines.map((line, i) => {
    if (i === 0 || line === "") return line;
    const ws = leadingWhitespace(line);
    if (ws === "") return line;
    const width = indentWidth(ws, tabSize);
    const indent = ctx.insertSpaces ? " ".repeat(width) : "\t".repeat(Math.floor(width / tabSize)) + " ".repeat(width % tabSize);
    return indent + line.slice(ws.length);
  });
}
