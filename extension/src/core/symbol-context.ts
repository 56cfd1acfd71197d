/**
 * Symbol-level context for completions: the identifiers the cursor is working with, so the glue
 * can ask the language server (definition, hover, document symbols) for their definitions and
 * type signatures, and those definitions ranked first in the prompt's context instead of the
 * heads of imported files. Pure: the lookups themselves are the glue's.
 */

/** An identifier near the cursor, nearest first. */
export interface NearIdentifier {
  name: string;
  /** Offset of one occurrence in the document (where to ask the language server). */
  offset: number;
}

/** A definition or signature the language server gave for an identifier. */
export interface SymbolSnippet {
  /** Workspace-relative path of the file that defines it (or `name` for a hover). */
  path: string;
  languageId: string;
  name: string;
  text: string;
}

const BEFORE_CHARS = 1_500;
const AFTER_CHARS = 300;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Keywords and literals of the common languages: never worth a lookup. */
const KEYWORDS = new Set(
  (
    "abstract as async await break case catch class const continue def default del delete do elif else enum export extends " +
    "false final finally fn for from func function go if impl implements import in instanceof interface is let match mod " +
    "module mut new nil none None null of package pass private protected pub public raise readonly return self Self static " +
    "struct super switch this throw throws trait true True False try type typeof undefined use var void where while with " +
    "yield string number boolean any unknown never object int float bool str char long double byte short lambda"
  ).split(" "),
);

/**
 * Identifiers used near the cursor that are worth a definition lookup, nearest first: not
 * keywords, not one- or two-letter names, not the name being declared on the cursor's line.
 */
export function identifiersNearCursor(text: string, offset: number, max = 8): NearIdentifier[] {
  const start = Math.max(0, offset - BEFORE_CHARS);
  const end = Math.min(text.length, offset + AFTER_CHARS);
  const window = text.slice(start, end);
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const declared = /^\s*(?:export\s+)?(?:const|let|var|def|fn|func|function|class|interface|type)\s+([A-Za-z_$][\w$]*)/.exec(
    text.slice(lineStart, offset),
  )?.[1];
  const best = new Map<string, { offset: number; distance: number }>();
  IDENTIFIER.lastIndex = 0;
  for (let m = IDENTIFIER.exec(window); m; m = IDENTIFIER.exec(window)) {
    const name = m[0];
    const at = start + m.index;
    if (name.length < 3 || KEYWORDS.has(name) || name === declared) continue;
    if (at <= offset && at + name.length >= offset) continue; // the word being typed
    const distance = at < offset ? offset - at : (at - offset) * 2; // what comes before weighs more
    const seen = best.get(name);
    if (!seen || distance < seen.distance) best.set(name, { offset: at, distance });
  }
  return [...best.entries()]
    .sort((a, b) => a[1].distance - b[1].distance)
    .slice(0, max)
    .map(([name, { offset: at }]) => ({ name, offset: at }));
}

/** Most characters of one definition: its signature and the start of its body. */
export const SYMBOL_SNIPPET_CHARS = 1_200;

/** A definition's text cut to its head, ending at a line end. */
export function definitionHead(text: string, maxChars = SYMBOL_SNIPPET_CHARS): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf("\n", maxChars);
  return `${text.slice(0, cut > 0 ? cut : maxChars)}\n…`;
}

/** The code of a hover's Markdown: its fenced blocks, else the plain text. */
export function hoverSignature(markdown: string): string {
  const blocks = [...markdown.matchAll(/```[\w-]*\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  return (blocks.length > 0 ? blocks.join("\n") : markdown).trim();
}
