/**
 * Glob → RegExp for workspace-relative paths with `/` separators: `*` and `?` stay within a
 * segment, `**` spans segments, `[abc]` / `[!abc]` classes, `{a,b}` alternatives (optional),
 * `\` escapes. Linear translation; the only nested quantifier (a repeated group of whole
 * segments for `**` + slash) is unambiguous, each repetition ending at a `/`, so matching
 * cannot backtrack catastrophically.
 */

/** Options for {@link globToRegExp}. */
export interface GlobOptions {
  /** `{a,b}` alternatives (VS Code globs yes, gitignore no). Default true. */
  braces?: boolean;
}

const GLOBSTAR_SLASH = "(?:[^/]*/)*";
const REGEX_SPECIAL = /[.+^$()|\\{}[\]]/;

function escapeChar(c: string): string {
  return REGEX_SPECIAL.test(c) || c === "*" || c === "?" ? `\\${c}` : c;
}

/** Index of the `}` closing the `{` at `open`, or -1. */
function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Translates a character class starting at `[`; returns [regex, index after `]`] or undefined. */
function charClass(glob: string, open: number): [string, number] | undefined {
  let i = open + 1;
  let out = "[";
  if (glob[i] === "!" || glob[i] === "^") {
    out += "^";
    i++;
  }
  const first = i;
  for (; i < glob.length; i++) {
    const c = glob[i];
    if (c === "]" && i > first) return [`${out}]`, i + 1];
    if (c === "\\" && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else if (c === "/") return undefined;
    else out += c === "\\" || c === "]" || c === "[" || c === "^" ? `\\${c}` : c;
  }
  return undefined;
}

/** The regex source (unanchored) for a glob. */
export function globToRegExpSource(glob: string, options: GlobOptions = {}): string {
  const braces = options.braces ?? true;
  const closers: number[] = [];
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const inBrace = closers.length > 0;
    const segmentStart = i === 0 || glob[i - 1] === "/" || (inBrace && (glob[i - 1] === "{" || glob[i - 1] === ","));
    if (c === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      const next = glob[j];
      const segmentEnd = j === glob.length || next === "/" || (inBrace && (next === "," || next === "}"));
      if (j - i >= 2 && segmentStart && segmentEnd) {
        if (next === "/") {
          // Any number of whole segments (zero included). Repeated `**/` collapse into one:
          // several such groups in a row would be ambiguous and backtrack polynomially.
          j++;
          while (glob.startsWith("**/", j)) j += 3;
          if (!out.endsWith(GLOBSTAR_SLASH)) out += GLOBSTAR_SLASH;
        } else out += ".*";
      } else out += "[^/]*";
      i = j - 1;
    } else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < glob.length) out += escapeChar(glob[++i]);
    else if (c === "[") {
      const cls = charClass(glob, i);
      if (cls) {
        out += cls[0];
        i = cls[1] - 1;
      } else out += "\\[";
    } else if (braces && c === "{" && matchingBrace(glob, i) !== -1) {
      closers.push(matchingBrace(glob, i));
      out += "(?:";
    } else if (inBrace && c === ",") out += "|";
    else if (inBrace && c === "}" && closers[closers.length - 1] === i) {
      closers.pop();
      out += ")";
    } else out += escapeChar(c);
  }
  return out;
}

/** A RegExp matching whole paths against the glob. */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
  return new RegExp(`^${globToRegExpSource(glob, options)}$`);
}

/** Normalises a path for matching: `\` → `/`, no leading `./` or `/`, no trailing `/`. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, "/")
    .replace(/^(?:\.\/|\/)+/, "")
    .replace(/\/+$/, "");
}
