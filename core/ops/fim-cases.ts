/**
 * Fill-in-the-middle cases cut from real source files at places a developer's cursor stops:
 * the end of a line, after `.`, `(` or `=`, or inside an identifier being typed. Prefix and
 * suffix are cut on line boundaries to the sizes an editor client sends.
 */
import type { SeededRandom } from "./random";

export interface SourceText {
  /** Path shown in the prompt and in results, relative to the workload root. */
  path: string;
  text: string;
}

export interface FimCase {
  path: string;
  /** Text before the cursor. */
  prefix: string;
  /** Text after the cursor. */
  suffix: string;
}

export interface FimCutOptions {
  /** Most characters of prefix kept (whole lines). @default 3000 */
  maxPrefixChars?: number;
  /** Most characters of suffix kept (whole lines). @default 1000 */
  maxSuffixChars?: number;
}

/** Characters after which editors ask for a completion. */
const TRIGGERS = new Set([".", "(", "=", ",", ":", " ", "{", "["]);

/**
 * `count` FIM cases from `sources`, chosen by `random`. Files with fewer than 3 non-blank lines
 * are skipped; an empty result means there was nothing to cut.
 */
export function cutFimCases(sources: readonly SourceText[], count: number, random: SeededRandom, options: FimCutOptions = {}): FimCase[] {
  const usable = sources
    .map((s) => ({ ...s, lines: s.text.split("\n") }))
    .filter((s) => s.lines.filter((l) => l.trim() !== "").length >= 3);
  if (usable.length === 0) return [];
  const cases: FimCase[] = [];
  for (let i = 0; i < count; i++) {
    const source = usable[random.int(usable.length)];
    cases.push(cutAt(source.path, source.lines, random, options));
  }
  return cases;
}

function cutAt(path: string, lines: string[], random: SeededRandom, options: FimCutOptions): FimCase {
  const candidates = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.trim() !== "");
  const { line, index } = candidates[random.int(candidates.length)];
  const column = cursorColumn(line, random);
  const before = lines.slice(0, index).join("\n") + (index > 0 ? "\n" : "") + line.slice(0, column);
  const after = line.slice(column) + (index < lines.length - 1 ? "\n" : "") + lines.slice(index + 1).join("\n");
  return {
    path,
    prefix: keepTail(before, options.maxPrefixChars ?? 3000),
    suffix: keepHead(after, options.maxSuffixChars ?? 1000),
  };
}

/** End of line half the time; otherwise just after a trigger character, or mid-identifier. */
function cursorColumn(line: string, random: SeededRandom): number {
  const indent = line.length - line.trimStart().length;
  if (random.next() < 0.5) return line.length;
  const triggers: number[] = [];
  for (let i = indent; i < line.length; i++) if (TRIGGERS.has(line[i])) triggers.push(i + 1);
  if (triggers.length > 0 && random.next() < 0.7) return triggers[random.int(triggers.length)];
  return indent + random.int(line.length - indent + 1);
}

/** The last `max` characters, starting at a line start when one is in range. */
function keepTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(-max);
  const nl = cut.indexOf("\n");
  return nl >= 0 && nl < cut.length - 1 ? cut.slice(nl + 1) : cut;
}

/** The first `max` characters, ending at a line end when one is in range. */
function keepHead(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const nl = cut.lastIndexOf("\n");
  return nl > 0 ? cut.slice(0, nl + 1) : cut;
}
