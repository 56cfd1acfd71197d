/**
 * AiCockpit's two read-only workspace tools for the language model (read a file, search the
 * workspace's text), as pure functions over file snapshots: the glue finds and reads the
 * files, never an excluded one, and registers the tools with VS Code.
 */

export const READ_FILE_TOOL = "aicockpit_readFile";
export const SEARCH_TOOL = "aicockpit_searchWorkspace";

/**
 * The tools as the model sees them. package.json's `languageModelTools` declares the same name,
 * description and schema (a manifest test holds them equal). `@aicockpit` offers them from here:
 * VS Code's `lm.tools` need not list an extension's own tools.
 */
export const WORKSPACE_TOOLS: readonly { name: string; description: string; inputSchema: Record<string, unknown> }[] = [
  {
    name: READ_FILE_TOOL,
    description:
      "Read lines of a file in the user's workspace. Returns the lines numbered. Use it to look at code before answering questions about it. Files excluded from AI context are refused.",
    inputSchema: {
      type: "object",
      properties: {
        path: { type: "string", description: "Workspace-relative path, e.g. src/calc.ts" },
        startLine: { type: "number", description: "First line to read (1-based)" },
        endLine: { type: "number", description: "Last line to read (1-based, inclusive)" },
      },
      required: ["path"],
    },
  },
  {
    name: SEARCH_TOOL,
    description:
      "Find the lines of the user's workspace files that contain a text (case-insensitive). Returns path:line: text for up to 50 matches. Use it to find where something is defined or used.",
    inputSchema: { type: "object", properties: { query: { type: "string", description: "Text to find" } }, required: ["query"] },
  },
];

/** Most lines a read returns (the model can ask for a range). */
export const MAX_READ_LINES = 400;
/** Most matching lines a search returns. */
export const MAX_SEARCH_MATCHES = 50;

/** What the read tool takes. */
export interface ReadFileInput {
  path: string;
  /** 1-based, inclusive. */
  startLine?: number;
  endLine?: number;
}

/** Validates the read tool's input (the model wrote it; VS Code checked it against the schema, still). */
export function parseReadFileInput(input: unknown): ReadFileInput | string {
  const i = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  if (typeof i.path !== "string" || i.path.trim() === "") return "`path` must be a workspace-relative file path";
  const line = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : undefined);
  return { path: i.path.trim().replace(/^\.?\//, ""), startLine: line(i.startLine), endLine: line(i.endLine) };
}

/** The requested lines of a file, numbered, capped at {@link MAX_READ_LINES}. */
export function readFileResult(path: string, text: string, input: ReadFileInput): string {
  const lines = text.split("\n");
  const start = Math.min(Math.max(1, input.startLine ?? 1), lines.length);
  const end = Math.min(lines.length, input.endLine ?? lines.length, start + MAX_READ_LINES - 1);
  const body = lines
    .slice(start - 1, end)
    .map((l, i) => `${start + i}: ${l}`)
    .join("\n");
  const more = end < lines.length ? `\n(${lines.length - end} more lines: ask for startLine ${end + 1})` : "";
  return `${path}, lines ${start}-${end} of ${lines.length}:\n${body}${more}`;
}

/** Lines that contain `query` (case-insensitive), as `path:line: text`, at most {@link MAX_SEARCH_MATCHES}. */
export function searchFiles(files: readonly { path: string; text: string }[], query: string): string {
  const needle = query.toLowerCase();
  if (needle.trim() === "") return "The query is empty.";
  const out: string[] = [];
  for (const file of files) {
    const lines = file.text.split("\n");
    for (let i = 0; i < lines.length && out.length < MAX_SEARCH_MATCHES; i++) {
      if (lines[i].toLowerCase().includes(needle)) out.push(`${file.path}:${i + 1}: ${lines[i].trim().slice(0, 200)}`);
    }
    if (out.length >= MAX_SEARCH_MATCHES) break;
  }
  return out.length === 0 ? `No line contains "${query}".` : out.join("\n");
}

/**
 * Paths a tool call's input names (string values that look like file paths or file URIs), so a
 * call to any tool can be checked against the exclusions before it runs.
 */
export function pathsInToolInput(input: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4) return;
    if (typeof value === "string") {
      const v = value.replace(/^file:\/\//, "");
      if (/^[\w.\-/\\~]+$/.test(v) && /[./\\]/.test(v) && v.length < 500) out.push(v);
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    else if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => visit(v, depth + 1));
  };
  visit(input, 0);
  return out;
}
