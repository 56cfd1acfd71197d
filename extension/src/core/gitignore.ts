/**
 * `.gitignore` semantics: comments, `!` negation (last match wins), trailing `/` for
 * directories only, patterns with a `/` anchored to the file's folder, others matching at any
 * depth, and no re-inclusion of a file whose parent folder is ignored.
 */
import { globToRegExp, normalizePath } from "./glob";

/** One compiled line of a `.gitignore`. */
export interface GitignoreRule {
  /** Folder of the `.gitignore` (workspace-relative, "" for the root). */
  baseDir: string;
  negate: boolean;
  directoryOnly: boolean;
  regex: RegExp;
  /** The line as written, for messages. */
  source: string;
}

/** Compiles the contents of one `.gitignore` found in `baseDir`. */
export function parseGitignore(text: string, baseDir = ""): GitignoreRule[] {
  const rules: GitignoreRule[] = [];
  const base = normalizePath(baseDir);
  for (const rawLine of text.split("\n")) {
    let line = rawLine.replace(/\r$/, "");
    if (line === "" || line.startsWith("#")) continue;
    line = line.replace(/(?<!\\)\s+$/, ""); // trailing spaces unless escaped with "\"
    if (line === "") continue;
    let negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) line = line.slice(1);
    let directoryOnly = false;
    if (line.endsWith("/")) {
      directoryOnly = true;
      line = line.replace(/\/+$/, "");
    }
    if (line === "") continue;
    const anchored = line.includes("/");
    const pattern = anchored ? line.replace(/^\//, "") : `**/${line}`;
    rules.push({ baseDir: base, negate, directoryOnly, regex: globToRegExp(pattern, { braces: false }), source: rawLine });
  }
  return rules;
}

/** The rule that decides `path` (last match), or undefined when none matches. */
function lastMatch(rules: readonly GitignoreRule[], path: string, isDirectory: boolean): GitignoreRule | undefined {
  let decided: GitignoreRule | undefined;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    let rel = path;
    if (rule.baseDir) {
      if (!path.startsWith(`${rule.baseDir}/`)) continue;
      rel = path.slice(rule.baseDir.length + 1);
    }
    if (rule.regex.test(rel)) decided = rule;
  }
  return decided;
}

/**
 * The rule that ignores `path`, or undefined when it is not ignored. Rules are in precedence
 * order: root `.gitignore` first, deeper ones after (a later match wins).
 */
export function gitignoreMatch(rules: readonly GitignoreRule[], path: string, isDirectory = false): GitignoreRule | undefined {
  const normalized = normalizePath(path);
  // A file inside an ignored folder stays ignored whatever later rules say.
  let slash = normalized.indexOf("/");
  while (slash !== -1) {
    const rule = lastMatch(rules, normalized.slice(0, slash), true);
    if (rule && !rule.negate) return rule;
    slash = normalized.indexOf("/", slash + 1);
  }
  const rule = lastMatch(rules, normalized, isDirectory);
  return rule && !rule.negate ? rule : undefined;
}
