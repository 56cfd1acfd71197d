/**
 * Extra context for completions: the caller hands in snapshots of other files and the
 * definitions of the symbols near the cursor; this module chooses and ranks them (symbol
 * definitions, else the heads of imported files; then recent edits, then open files of the same
 * language, then other open files) and packs them into a character budget.
 */
import type { SymbolSnippet } from "./symbol-context";
import { keepHead } from "./tokens";

/** A file's text as the caller saw it. `path` is workspace-relative with `/` separators. */
export interface FileSnapshot {
  path: string;
  languageId: string;
  text: string;
}

/** A recently edited region: its current text (with a few surrounding lines) and when. */
export interface EditedRange {
  path: string;
  languageId: string;
  text: string;
  /** First line of the region (0-based), to skip regions already inside the prompt window. */
  startLine?: number;
  editedAt: number;
}

/** Why a snippet was chosen, in rank order. */
export type ContextKind = "symbol" | "import" | "recent-edit" | "open-file";

/** One chosen piece of context, ready for a file-path header. */
export interface ContextSnippet {
  path: string;
  languageId: string;
  text: string;
  kind: ContextKind;
}

/** Inputs for {@link assembleContext}. */
export interface ContextRequest {
  current: { path: string; languageId: string; text: string };
  /** Other open editors (the current file may be included; it is skipped). */
  openFiles?: readonly FileSnapshot[];
  /** Files the caller read from disk for the candidates of {@link importCandidates}. */
  importedFiles?: readonly FileSnapshot[];
  recentEdits?: readonly EditedRange[];
  /**
   * Definitions of the symbols near the cursor, nearest first. When there are any they replace
   * the heads of imported files: what the cursor uses beats what a file happens to start with.
   */
  symbols?: readonly SymbolSnippet[];
  budgetChars: number;
  /** Most characters from one file (its head). */
  perFileChars?: number;
  /** Second line of defence: snippets whose path this returns true for are never used. */
  isExcluded?: (path: string) => boolean;
}

/** Imports are at the top; scanning a bounded head keeps this O(1) per keystroke. */
const IMPORT_SCAN_CHARS = 16_000;
const MAX_IMPORTS = 32;

const IMPORT_PATTERNS: Record<string, RegExp[]> = {
  js: [
    /(?:^|\n)\s*import\s[^'"`;]*?from\s*['"]([^'"\n]+)['"]/g,
    /(?:^|\n)\s*import\s*['"]([^'"\n]+)['"]/g,
    /(?:^|\n)\s*export\s[^'"`;]*?from\s*['"]([^'"\n]+)['"]/g,
    /\brequire\(\s*['"]([^'"\n]+)['"]\s*\)/g,
  ],
  python: [/(?:^|\n)\s*from\s+([.\w]+)\s+import\b/g, /(?:^|\n)\s*import\s+([\w.]+)/g],
  rust: [/(?:^|\n)\s*(?:pub\s+)?(?:use|mod)\s+((?:crate|super|self)?(?:::)?[\w:]+)/g],
  c: [/(?:^|\n)\s*#\s*include\s*"([^"\n]+)"/g],
};

function importFamily(languageId: string): keyof typeof IMPORT_PATTERNS | undefined {
  if (/^(type|java)script(react)?$/.test(languageId) || languageId === "vue" || languageId === "svelte") return "js";
  if (languageId === "python") return "python";
  if (languageId === "rust") return "rust";
  if (languageId === "c" || languageId === "cpp" || languageId === "objective-c") return "c";
  return undefined;
}

/** Module specifiers imported near the top of a file (deduplicated, in order). */
export function importSpecifiers(text: string, languageId: string): string[] {
  const family = importFamily(languageId);
  if (!family) return [];
  const head = text.length > IMPORT_SCAN_CHARS ? text.slice(0, IMPORT_SCAN_CHARS) : text;
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS[family]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(head); m && found.size < MAX_IMPORTS; m = pattern.exec(head)) found.add(m[1]);
  }
  return [...found];
}

function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

/** Joins and normalises `a/b/../c` style paths; undefined when it climbs above the root. */
export function joinPath(base: string, relative: string): string | undefined {
  const parts = base ? base.split("/") : [];
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

const JS_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mts", ".mjs", ".cts", ".cjs", ".vue", ".svelte"];

/**
 * Workspace-relative paths an import may refer to, most likely first. Only local imports
 * resolve; packages (`react`, `os`) give none. The caller reads those that exist.
 */
export function importCandidates(specifier: string, fromPath: string, languageId: string): string[] {
  const family = importFamily(languageId);
  const dir = dirname(fromPath);
  if (family === "js") {
    if (!specifier.startsWith(".")) return [];
    const base = joinPath(dir, specifier);
    if (base === undefined) return [];
    const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, "");
    const out = [base];
    for (const ext of JS_EXTENSIONS) out.push(stem + ext);
    for (const ext of JS_EXTENSIONS.slice(0, 4)) out.push(`${base}/index${ext}`);
    return [...new Set(out)];
  }
  if (family === "python") {
    const dots = /^\.+/.exec(specifier)?.[0].length ?? 0;
    const modulePath = specifier.slice(dots).replace(/\./g, "/");
    let base = dir;
    for (let i = 1; i < dots; i++) base = dirname(base);
    const root = dots > 0 ? base : dir;
    const joined = modulePath ? joinPath(root, modulePath) : root;
    const out: string[] = [];
    if (joined !== undefined) out.push(`${joined}.py`, `${joined}/__init__.py`);
    if (dots === 0 && modulePath) out.push(`${modulePath}.py`, `${modulePath}/__init__.py`);
    return [...new Set(out)];
  }
  if (family === "c") {
    const joined = joinPath(dir, specifier);
    return joined === undefined ? [specifier] : [...new Set([joined, specifier])];
  }
  if (family === "rust") {
    const parts = specifier.split("::").filter((p) => p && p !== "crate" && p !== "self" && p !== "super");
    if (parts.length === 0) return [];
    const rel = parts.slice(0, -1).join("/") || parts[0];
    return [`src/${rel}.rs`, `src/${rel}/mod.rs`, `${joinPath(dir, rel) ?? rel}.rs`];
  }
  return [];
}

interface Ranked {
  snippet: ContextSnippet;
  score: number;
}

/**
 * Chooses context snippets within `budgetChars`, best first. Never returns the current file's
 * own text (it is in the prefix/suffix already) nor excluded paths.
 */
export function assembleContext(request: ContextRequest): ContextSnippet[] {
  const perFile = request.perFileChars ?? 2_000;
  const exclude = request.isExcluded;
  const currentPath = request.current.path;
  const usable = (path: string): boolean => path !== currentPath && !(exclude && exclude(path));
  const ranked: Ranked[] = [];
  const seen = new Set<string>();

  const consider = (file: FileSnapshot, kind: ContextKind, score: number): void => {
    if (seen.has(file.path) || !usable(file.path) || file.text.trim() === "") return;
    seen.add(file.path);
    ranked.push({ snippet: { path: file.path, languageId: file.languageId, text: keepHead(file.text, perFile), kind }, score });
  };
  const symbols = request.symbols ?? [];
  symbols.forEach((symbol, i) => {
    const key = `${symbol.path}#${symbol.name}`;
    if (seen.has(key) || !usable(symbol.path) || symbol.text.trim() === "") return;
    seen.add(key);
    ranked.push({
      snippet: { path: symbol.path, languageId: symbol.languageId, text: keepHead(symbol.text, perFile), kind: "symbol" },
      score: 400 - i,
    });
  });
  if (symbols.length === 0) {
    const importedPaths = new Set<string>();
    for (const spec of importSpecifiers(request.current.text, request.current.languageId)) {
      for (const candidate of importCandidates(spec, currentPath, request.current.languageId)) importedPaths.add(candidate);
    }
    for (const file of request.importedFiles ?? []) consider(file, "import", 300);
    for (const file of request.openFiles ?? []) if (importedPaths.has(file.path)) consider(file, "import", 300);
  }

  const edits = [...(request.recentEdits ?? [])].sort((a, b) => b.editedAt - a.editedAt);
  edits.forEach((edit, i) => {
    if (!usable(edit.path) || edit.text.trim() === "") return;
    const key = `${edit.path}#${edit.startLine ?? i}`;
    if (seen.has(key)) return;
    seen.add(key);
    ranked.push({
      snippet: { path: edit.path, languageId: edit.languageId, text: keepHead(edit.text, perFile), kind: "recent-edit" },
      score: 200 - i,
    });
  });

  for (const file of request.openFiles ?? []) {
    consider(file, "open-file", file.languageId === request.current.languageId ? 100 : 50);
  }

  ranked.sort((a, b) => b.score - a.score);
  const chosen: ContextSnippet[] = [];
  let left = request.budgetChars;
  for (const { snippet } of ranked) {
    const header = snippet.path.length + 16;
    if (left <= header + 40) break;
    const text = snippet.text.length + header <= left ? snippet.text : keepHead(snippet.text, left - header);
    if (text.trim() === "") continue;
    chosen.push(text === snippet.text ? snippet : { ...snippet, text });
    left -= text.length + header;
  }
  return chosen;
}
