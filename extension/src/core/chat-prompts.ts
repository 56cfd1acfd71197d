/**
 * Chat-completion prompts: instruction edits of a selection and the `@aicockpit` participant
 * with its `/explain`, `/fix`, `/doc`, `/tests` commands, references and history.
 */
import { codeFromReply } from "./code-blocks";
import { fenceLanguage } from "./languages";
import { leadingWhitespace } from "./mode";
import { keepHead, keepTail } from "./tokens";

/** A chat message as the OpenAI API takes it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Code shown to the model in a fenced block under a header. */
export function fencedCode(code: string, languageId: string, header?: string): string {
  const fence = code.includes("```") ? "````" : "```";
  return `${header ? `${header}\n` : ""}${fence}${fenceLanguage(languageId)}\n${code}\n${fence}`;
}

/** Inputs for {@link buildEditMessages}. */
export interface EditRequest {
  instruction: string;
  selection: string;
  languageId: string;
  filePath?: string;
  /** Text before / after the selection, for context (trimmed here). */
  before?: string;
  after?: string;
  contextChars?: number;
}

const EDIT_SYSTEM = [
  "You are a careful senior engineer editing code in the user's editor.",
  "Rewrite the SELECTED code so that it follows the instruction.",
  "Reply with the complete replacement for the selection only, in one fenced code block, with no explanation.",
  "Keep the selection's indentation, style and anything the instruction does not ask to change.",
].join(" ");

/** Messages asking for the rewritten selection only. */
export function buildEditMessages(request: EditRequest): ChatMessage[] {
  const budget = request.contextChars ?? 6_000;
  const parts: string[] = [];
  if (request.filePath) parts.push(`File: ${request.filePath}`);
  if (request.before) parts.push(fencedCode(keepTail(request.before, budget / 2), request.languageId, "Code before the selection (do not repeat it):"));
  parts.push(fencedCode(request.selection, request.languageId, "SELECTED code:"));
  if (request.after) parts.push(fencedCode(keepHead(request.after, budget / 2), request.languageId, "Code after the selection (do not repeat it):"));
  parts.push(`Instruction: ${request.instruction.trim()}`);
  return [
    { role: "system", content: EDIT_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/**
 * The replacement text from an edit reply: code only, re-indented to the selection's first-line
 * indentation when the model dropped it, with the selection's trailing newline kept.
 */
export function editResultFromReply(reply: string, selection: string): string {
  let code = codeFromReply(reply);
  const indent = leadingWhitespace(selection);
  if (indent && !code.startsWith(indent) && leadingWhitespace(code) === "") {
    code = code
      .split("\n")
      .map((line) => (line.trim() === "" ? line : indent + line))
      .join("\n");
  }
  if (selection.endsWith("\n") && !code.endsWith("\n")) code += "\n";
  return code;
}

/** Slash commands of the chat participant. */
export type ChatCommand = "explain" | "fix" | "doc" | "tests";

/** A file or selection the user attached (`#file`, the selection). */
export interface ChatReference {
  path: string;
  languageId: string;
  text: string;
  /** 1-based line range, when the reference is a range. */
  range?: { startLine: number; endLine: number };
}

/** A previous exchange. */
export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

/** Inputs for {@link buildChatMessages}. */
export interface ChatRequest {
  prompt: string;
  command?: ChatCommand;
  references?: readonly ChatReference[];
  history?: readonly ChatTurn[];
  /** Character budget for references + history (oldest history dropped first). */
  maxChars?: number;
}

const CHAT_SYSTEM = [
  "You are AiCockpit, a coding assistant running on the user's own server.",
  "Answer in Markdown. Put code in fenced blocks with a language tag so it can be inserted into the editor.",
  "Be concise and precise; say so when something is uncertain.",
].join(" ");

const COMMAND_INSTRUCTIONS: Record<ChatCommand, string> = {
  explain: "Explain what the referenced code does, step by step, and point out anything surprising.",
  fix: "Find the bugs in the referenced code, explain each briefly, and give the corrected code in one fenced block.",
  doc: "Write documentation comments for the referenced code in the language's usual style (JSDoc, docstrings, …) and return the documented code in one fenced block.",
  tests: "Write unit tests for the referenced code with the test framework the project most likely uses, in one fenced block, covering edge cases.",
};

/** Messages for the chat participant. */
export function buildChatMessages(request: ChatRequest): ChatMessage[] {
  let budget = request.maxChars ?? 24_000;
  const refs: string[] = [];
  for (const ref of request.references ?? []) {
    const where = ref.range ? `${ref.path}:${ref.range.startLine}-${ref.range.endLine}` : ref.path;
    const text = keepHead(ref.text, Math.max(0, budget));
    if (text === "") break;
    refs.push(fencedCode(text, ref.languageId, `Referenced \`${where}\`:`));
    budget -= text.length;
  }
  const history: ChatMessage[] = [];
  for (const turn of [...(request.history ?? [])].reverse()) {
    if (turn.content.length > budget) break;
    history.unshift({ role: turn.role, content: turn.content });
    budget -= turn.content.length;
  }
  const ask = request.command ? `${COMMAND_INSTRUCTIONS[request.command]}\n\n${request.prompt}`.trim() : request.prompt;
  const user = refs.length > 0 ? `${refs.join("\n\n")}\n\n${ask}` : ask;
  return [{ role: "system", content: CHAT_SYSTEM }, ...history, { role: "user", content: user }];
}
