/**
 * The `@aicockpit` chat participant: streams Markdown from the deployment's chat model, with
 * the attached references (`#file`, selections; excluded files are skipped and said so), the
 * conversation history and `/explain`, `/fix`, `/doc`, `/tests`, within the model's context.
 * With tool calling on, the model may read and search the workspace through VS Code's tools
 * (AiCockpit's own read-only ones, and other registered read/search tools), invoked with
 * `vscode.lm.invokeTool` so VS Code shows each call and asks for confirmation where the tool
 * wants it; a call naming an excluded file is refused before it runs. Code blocks get an insert
 * button; a terminal failure handed over by the terminal help gets a run button.
 */
import * as vscode from "vscode";
import { runChat, type ChatOutcome } from "../client/streams";
import {
  buildChatMessages,
  buildTerminalFailureMessages,
  chatBudget,
  describeMalformedCall,
  estimateTokens,
  extractCodeBlocks,
  keepHead,
  parseFixCommand,
  pathsInToolInput,
  toOpenAiTools,
  tokensToChars,
  type ChatCommand,
  type ChatMessage,
  type ChatReference,
  type ChatTurn,
  type ModelRef,
  type ToolDefinition,
  WORKSPACE_TOOLS,
} from "../core";
import type { Exclusions } from "./exclusions";
import { resultText } from "./language-models";
import { asBackendError, type Session } from "./session";
import type { TerminalHelp } from "./terminal-help";

const COMMANDS: readonly ChatCommand[] = ["explain", "fix", "doc", "tests"];
const MAX_INSERT_BUTTONS = 3;
/** Model → tools → model rounds before the participant stops asking. */
const MAX_TOOL_ROUNDS = 5;
/** Other extensions' tools offered besides AiCockpit's: those that read or search. */
const WORKSPACE_TOOL_NAME = /read|search|find|grep|list|codebase/i;
const MAX_TOOLS = 12;

export function registerChatParticipant(session: Session, exclusions: Exclusions, terminalHelp: TerminalHelp): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant("aicockpit.chat", (request, context, stream, token) =>
    answer(session, exclusions, terminalHelp, request, context, stream, token),
  );
  participant.iconPath = new vscode.ThemeIcon("hubot");
  return participant;
}

async function answer(
  session: Session,
  exclusions: Exclusions,
  terminalHelp: TerminalHelp,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const chat = session.target?.chat;
  if (!chat) {
    stream.markdown("No chat model is configured. Load your deployment outputs or set `aicockpit.manual.baseUrl`.");
    stream.button({ command: "aicockpit.loadDeploymentOutputs", title: "Load Deployment Outputs" });
    return { errorDetails: { message: "No chat model configured." } };
  }
  if (!session.canRequest(chat.baseUrl)) {
    return { errorDetails: { message: `${session.health.detail} AiCockpit is backing off; try again shortly.` } };
  }

  const terminalFailure = terminalHelp.takeFailure(request.prompt);
  const budget = chatBudget(chat.maxModelLen);
  const tools = chat.toolCalling && !terminalFailure ? workspaceTools() : [];
  // Tool definitions count against the prompt too.
  const toolTokens = tools.reduce((sum, t) => sum + estimateTokens(JSON.stringify(t)), 0);
  let messages: ChatMessage[];
  if (terminalFailure) {
    stream.progress(`Reading \`${terminalFailure.commandLine}\` (exit code ${terminalFailure.exitCode})…`);
    messages = buildTerminalFailureMessages(terminalFailure);
  } else {
    const references = await collectReferences(request, exclusions, stream);
    const command = COMMANDS.find((c) => c === request.command);
    messages = buildChatMessages({
      prompt: request.prompt,
      command,
      references,
      history: historyOf(context),
      maxInputTokens: budget.maxInputTokens - toolTokens,
    });
  }

  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  try {
    const client = await session.client(chat.baseUrl);
    const ask = () =>
      runChat(
        client,
        {
          model: chat.model,
          messages,
          maxTokens: budget.maxOutputTokens,
          tools: tools.length > 0 ? toOpenAiTools(tools, "auto") : undefined,
        },
        controller.signal,
        (delta) => stream.markdown(delta),
      );
    let result = await ask();
    for (let round = 0; round < MAX_TOOL_ROUNDS && (result.toolCalls.length > 0 || result.malformedToolCalls.length > 0); round++) {
      if (token.isCancellationRequested) return {};
      messages = [...messages, ...(await runTools(result, chat, exclusions, request, stream, token))];
      result = await ask();
    }
    session.recordChatSuccess(chat.baseUrl, result);
    if (terminalFailure) {
      const fix = parseFixCommand(result.text);
      if (fix)
        stream.button({
          command: "aicockpit.runSuggestedCommand",
          title: `$(terminal) Run in terminal: ${fix.split("\n")[0]}`,
          arguments: [fix],
        });
    } else {
      extractCodeBlocks(result.text)
        .filter((b) => b.complete && b.code.trim() !== "")
        .slice(0, MAX_INSERT_BUTTONS)
        .forEach((block, i, all) =>
          stream.button({
            command: "aicockpit.insertCodeBlock",
            title: `$(insert) Insert ${all.length > 1 ? `block ${i + 1}` : "code"} at cursor`,
            arguments: [block.code],
          }),
        );
    }
    return { metadata: { model: chat.model } };
  } catch (error) {
    const failure = asBackendError(error);
    if (failure.kind === "aborted") return {};
    session.recordFailure(chat.baseUrl, failure, chat.model);
    return { errorDetails: { message: failure.message } };
  } finally {
    cancel.dispose();
  }
}

/** AiCockpit's workspace tools, then other registered tools that read or search. */
function workspaceTools(): ToolDefinition[] {
  const ours = new Set(WORKSPACE_TOOLS.map((t) => t.name));
  const others = (vscode.lm?.tools ?? [])
    .filter((t) => !ours.has(t.name) && WORKSPACE_TOOL_NAME.test(t.name))
    .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  return [...WORKSPACE_TOOLS, ...others].slice(0, MAX_TOOLS);
}

/**
 * Runs the tool calls of one answer through VS Code and returns the messages that carry them
 * back: the assistant's calls, then one `tool` message per call (a refusal for a call naming an
 * excluded file, an explanation for a call whose arguments were not JSON).
 */
async function runTools(
  result: ChatOutcome,
  chat: ModelRef,
  exclusions: Exclusions,
  request: vscode.ChatRequest,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<ChatMessage[]> {
  const calls = [
    ...result.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.rawArguments })),
    ...result.malformedToolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.rawArguments })),
  ];
  const out: ChatMessage[] = [{ role: "assistant", content: result.text, toolCalls: calls }];
  // A tool result may take a quarter of the prompt budget.
  const resultChars = tokensToChars(chatBudget(chat.maxModelLen).maxInputTokens / 4);
  for (const call of result.toolCalls) {
    const excluded = pathsInToolInput(call.input).find((p) => exclusions.isExcludedPath(p.replace(/^\.?\//, "")));
    let content: string;
    if (excluded) {
      content = `Refused: ${excluded} is excluded from AI context.`;
      stream.markdown(`\n\n_Refused a \`${call.name}\` call: \`${excluded}\` is excluded, never sent to the model._\n\n`);
    } else {
      try {
        const answer = await vscode.lm.invokeTool(
          call.name,
          { input: call.input, toolInvocationToken: request.toolInvocationToken },
          token,
        );
        content = resultText(answer.content);
      } catch (error) {
        content = `The tool failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    out.push({ role: "tool", toolCallId: call.id, content: keepHead(content, resultChars) });
  }
  for (const bad of result.malformedToolCalls) {
    const message = describeMalformedCall(bad);
    stream.markdown(`\n\n_${message}_\n\n`);
    out.push({ role: "tool", toolCallId: bad.id, content: `${message} Call it again with a JSON object as arguments.` });
  }
  return out;
}

/** Attached references, else the editor's selection; excluded files never leave the machine. */
async function collectReferences(
  request: vscode.ChatRequest,
  exclusions: Exclusions,
  stream: vscode.ChatResponseStream,
): Promise<ChatReference[]> {
  const out: ChatReference[] = [];
  const add = async (uri: vscode.Uri, range: vscode.Range | undefined): Promise<void> => {
    const excluded = exclusions.reason(uri);
    if (excluded) {
      stream.markdown(`_Skipped \`${exclusions.relativePath(uri)}\`: excluded (${excluded}), never sent to the model._\n\n`);
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      out.push({
        path: exclusions.relativePath(uri),
        languageId: document.languageId,
        text: document.getText(range),
        range: range ? { startLine: range.start.line + 1, endLine: range.end.line + 1 } : undefined,
      });
      stream.reference(range ? new vscode.Location(uri, range) : uri);
    } catch {
      // A folder or an unreadable resource: nothing to quote.
    }
  };
  for (const ref of request.references) {
    if (ref.value instanceof vscode.Uri) await add(ref.value, undefined);
    else if (ref.value instanceof vscode.Location) await add(ref.value.uri, ref.value.range);
    else if (typeof ref.value === "string") out.push({ path: ref.modelDescription ?? ref.id, languageId: "plaintext", text: ref.value });
  }
  const editor = vscode.window.activeTextEditor;
  if (out.length === 0 && editor && editor.document.uri.scheme !== "output") {
    if (!editor.selection.isEmpty) await add(editor.document.uri, new vscode.Range(editor.selection.start, editor.selection.end));
    else if (request.command) await add(editor.document.uri, undefined);
  }
  return out;
}

/** Earlier turns with this participant, as plain messages. */
function historyOf(context: vscode.ChatContext): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: "user", content: turn.command ? `/${turn.command} ${turn.prompt}` : turn.prompt });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ""))
        .join("")
        .trim();
      if (text) turns.push({ role: "assistant", content: text });
    }
  }
  return turns;
}
