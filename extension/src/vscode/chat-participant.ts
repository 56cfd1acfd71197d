/**
 * The `@aicockpit` chat participant: streams Markdown from the deployment's chat model, with
 * the attached references (`#file`, selections; excluded files are skipped and said so), the
 * conversation history and `/explain`, `/fix`, `/doc`, `/tests`. Code blocks get an insert
 * button; a terminal failure handed over by the terminal help gets a run button.
 */
import * as vscode from "vscode";
import { runChat } from "../client/streams";
import {
  buildChatMessages,
  buildTerminalFailureMessages,
  extractCodeBlocks,
  parseFixCommand,
  type ChatCommand,
  type ChatMessage,
  type ChatReference,
  type ChatTurn,
} from "../core";
import type { Exclusions } from "./exclusions";
import { asBackendError, type Session } from "./session";
import type { TerminalHelp } from "./terminal-help";

const COMMANDS: readonly ChatCommand[] = ["explain", "fix", "doc", "tests"];
const MAX_INSERT_BUTTONS = 3;

export function registerChatParticipant(
  session: Session,
  exclusions: Exclusions,
  terminalHelp: TerminalHelp,
): vscode.Disposable {
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
  let messages: ChatMessage[];
  if (terminalFailure) {
    stream.progress(`Reading \`${terminalFailure.commandLine}\` (exit code ${terminalFailure.exitCode})…`);
    messages = buildTerminalFailureMessages(terminalFailure);
  } else {
    const references = await collectReferences(request, exclusions, stream);
    const command = COMMANDS.find((c) => c === request.command);
    messages = buildChatMessages({ prompt: request.prompt, command, references, history: historyOf(context) });
  }

  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  try {
    const client = await session.client(chat.baseUrl);
    const result = await runChat(client, { model: chat.model, messages }, controller.signal, (delta) => stream.markdown(delta));
    session.recordChatSuccess(chat.baseUrl, result);
    if (terminalFailure) {
      const fix = parseFixCommand(result.text);
      if (fix) stream.button({ command: "aicockpit.runSuggestedCommand", title: `$(terminal) Run in terminal: ${fix.split("\n")[0]}`, arguments: [fix] });
    } else {
      extractCodeBlocks(result.text)
        .filter((b) => b.complete && b.code.trim() !== "")
        .slice(0, MAX_INSERT_BUTTONS)
        .forEach((block, i, all) =>
          stream.button({ command: "aicockpit.insertCodeBlock", title: `$(insert) Insert ${all.length > 1 ? `block ${i + 1}` : "code"} at cursor`, arguments: [block.code] }),
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

/** Attached references, else the editor's selection; excluded files never leave the machine. */
async function collectReferences(request: vscode.ChatRequest, exclusions: Exclusions, stream: vscode.ChatResponseStream): Promise<ChatReference[]> {
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
