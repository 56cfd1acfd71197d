/**
 * Chat-completion prompts: instruction edits of a selection (and follow-ups on a proposal) and
 * the `@aicockpit` participant with its `/explain`, `/fix`, `/doc`, `/tests` commands, references
 * and history, each within the model's context (chat-budget.ts).
 */
import { MESSAGE_OVERHEAD_TOKENS } from "./chat-budget";
import { codeFromReply } from "./code-blocks";
import { fenceLanguage } from "./languages";
import { leadingWhitespace } from "./mode";
import { estimateTokens, keepHead, keepTail, tokensToChars } from "./tokens";

/** A tool call an assistant message made, with its arguments as the model wrote them. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A chat message as the OpenAI API takes it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  /** An assistant message's tool calls. */
  toolCalls?: readonly ChatToolCall[];
  /** A tool message: the call it answers. */
  toolCallId?: string;
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
  /** Prompt tokens allowed (chat-budget.ts editBudget); the code around the selection gets what is left. */
  maxInputTokens?: number;
}

const EDIT_SYSTEM = [
  "You are a careful senior engineer editing code in the user's editor.",
  "Rewrite the SELECTED code so that it follows the instruction.",
  "Reply with the complete replacement for the selection only, in one fenced code block, with no explanation.",
  "Keep the selection's indentation, style and anything the instruction does not ask to change.",
].join(" ");

/** Code around the selection is capped even in a long context: it is context, not the task. */
const EDIT_CONTEXT_MAX_CHARS = 24_000;

/**
 * Messages asking for the rewritten selection only. The system prompt, the selection and the
 * instruction always go; the code before and after the selection shares what the budget leaves.
 */
export function buildEditMessages(request: EditRequest): ChatMessage[] {
  const fixed = [
    `File: ${request.filePath ?? ""}`,
    fencedCode(request.selection, request.languageId, "SELECTED code:"),
    `Instruction: ${request.instruction}`,
    EDIT_SYSTEM,
  ];
  const left =
    (request.maxInputTokens ?? 8_192) - 2 * MESSAGE_OVERHEAD_TOKENS - fixed.reduce((sum, text) => sum + estimateTokens(text) + 16, 0);
  const contextChars = Math.min(EDIT_CONTEXT_MAX_CHARS, tokensToChars(Math.max(0, left)));
  const parts: string[] = [];
  if (request.filePath) parts.push(`File: ${request.filePath}`);
  const before = request.before ? keepTail(request.before, Math.floor(contextChars / 2)) : "";
  const after = request.after ? keepHead(request.after, Math.floor(contextChars / 2)) : "";
  if (before) parts.push(fencedCode(before, request.languageId, "Code before the selection (do not repeat it):"));
  parts.push(fencedCode(request.selection, request.languageId, "SELECTED code:"));
  if (after) parts.push(fencedCode(after, request.languageId, "Code after the selection (do not repeat it):"));
  parts.push(`Instruction: ${request.instruction.trim()}`);
  return [
    { role: "system", content: EDIT_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/**
 * A follow-up on a proposed edit: the conversation so far, the proposal as the assistant's
 * answer, and the new instruction, which refines that proposal rather than starting over.
 */
export function buildEditFollowUpMessages(
  previous: readonly ChatMessage[],
  proposal: string,
  instruction: string,
  languageId: string,
): ChatMessage[] {
  return [
    ...previous,
    { role: "assistant", content: fencedCode(proposal, languageId) },
    {
      role: "user",
      content: `Refine your proposal: ${instruction.trim()}\nReply with the complete replacement for the selection again, in one fenced code block, with no explanation.`,
    },
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
  /** Prompt tokens allowed (chat-budget.ts chatBudget); default 8,192. */
  maxInputTokens?: number;
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
  tests:
    "Write unit tests for the referenced code with the test framework the project most likely uses, in one fenced block, covering edge cases.",
};

/**
 * Messages for the chat participant, within `maxInputTokens`. What goes, in this order until the
 * budget is spent: the system prompt and the question (its head kept if it alone is too long);
 * then the references in the order they were attached, the one that no longer fits cut to its
 * head and any after it dropped; then the history, newest turn first, the oldest turns dropped.
 */
export function buildChatMessages(request: ChatRequest): ChatMessage[] {
  const ask = request.command ? `${COMMAND_INSTRUCTIONS[request.command]}\n\n${request.prompt}`.trim() : request.prompt;
  let budget = (request.maxInputTokens ?? 8_192) - estimateTokens(CHAT_SYSTEM) - 2 * MESSAGE_OVERHEAD_TOKENS;
  const question = keepHead(ask, tokensToChars(Math.max(0, budget)));
  budget -= estimateTokens(question);
  const refs: string[] = [];
  for (const ref of request.references ?? []) {
    const where = ref.range ? `${ref.path}:${ref.range.startLine}-${ref.range.endLine}` : ref.path;
    const header = `Referenced \`${where}\`:`;
    // The fence and header around the text, and the blank line after the block.
    const room = budget - estimateTokens(fencedCode("", ref.languageId, header)) - 2;
    const text = keepHead(ref.text, tokensToChars(Math.max(0, room)));
    if (text.trim() === "") break;
    const block = fencedCode(text, ref.languageId, header);
    refs.push(block);
    budget -= estimateTokens(block) + 1;
    if (text.length < ref.text.length) break;
  }
  const history: ChatMessage[] = [];
  for (const turn of [...(request.history ?? [])].reverse()) {
    const cost = estimateTokens(turn.content) + MESSAGE_OVERHEAD_TOKENS;
    if (cost > budget) break;
    history.unshift({ role: turn.role, content: turn.content });
    budget -= cost;
  }
  const user = refs.length > 0 ? `${refs.join("\n\n")}\n\n${question}` : question;
  return [{ role: "system", content: CHAT_SYSTEM }, ...history, { role: "user", content: user }];
}
