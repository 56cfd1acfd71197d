/** Per-language facts the prompts need: how to write a line comment. VS Code language ids. */

const HASH_COMMENT = new Set([
  "python",
  "ruby",
  "shellscript",
  "yaml",
  "r",
  "perl",
  "dockerfile",
  "makefile",
  "toml",
  "powershell",
  "elixir",
  "coffeescript",
  "julia",
  "nix",
  "terraform",
  "hcl",
  "properties",
  "ini",
]);
const DASH_COMMENT = new Set(["sql", "lua", "haskell", "elm", "ada"]);
const PERCENT_COMMENT = new Set(["erlang", "latex", "tex", "matlab"]);
const SEMICOLON_COMMENT = new Set(["clojure", "lisp", "scheme", "racket"]);
const BLOCK_ONLY = new Map<string, [string, string]>([
  ["html", ["<!--", "-->"]],
  ["xml", ["<!--", "-->"]],
  ["markdown", ["<!--", "-->"]],
  ["vue", ["<!--", "-->"]],
  ["svelte", ["<!--", "-->"]],
  ["css", ["/*", "*/"]],
  ["scss", ["/*", "*/"]],
  ["less", ["/*", "*/"]],
]);

/** One line of comment text in the language's syntax, e.g. `# path: a.py` or `<!-- path -->`. */
export function lineComment(languageId: string, text: string): string {
  const block = BLOCK_ONLY.get(languageId);
  if (block) return `${block[0]} ${text} ${block[1]}`;
  if (HASH_COMMENT.has(languageId)) return `# ${text}`;
  if (DASH_COMMENT.has(languageId)) return `-- ${text}`;
  if (PERCENT_COMMENT.has(languageId)) return `% ${text}`;
  if (SEMICOLON_COMMENT.has(languageId)) return `; ${text}`;
  return `// ${text}`;
}

/** Fence language tag for Markdown code blocks (VS Code ids mostly work; a few differ). */
export function fenceLanguage(languageId: string): string {
  switch (languageId) {
    case "shellscript":
      return "sh";
    case "typescriptreact":
      return "tsx";
    case "javascriptreact":
      return "jsx";
    case "plaintext":
      return "";
    default:
      return languageId;
  }
}
