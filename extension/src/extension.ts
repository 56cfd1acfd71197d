/**
 * AiCockpit for VS Code: wires the pieces in src/vscode to VS Code. All logic lives in the
 * core (src/core) and the client (src/client); nothing here phones home.
 */
import * as vscode from "vscode";
import { ApiKeys } from "./vscode/api-keys";
import { setApiKeyCommand } from "./vscode/api-key-command";
import { registerChatParticipant } from "./vscode/chat-participant";
import { DeploymentLoader } from "./vscode/deployment";
import { generateDocCommentCommand } from "./vscode/doc-comment";
import { Exclusions } from "./vscode/exclusions";
import { InlineCompletions } from "./vscode/inline-completions";
import { insertCodeBlockCommand } from "./vscode/insert-code";
import { InstructionEdits } from "./vscode/instruction-edit";
import { AiCockpitLanguageModels, VENDOR } from "./vscode/language-models";
import { Log } from "./vscode/log";
import { selectModelCommand } from "./vscode/select-model";
import { Session } from "./vscode/session";
import { StatusBar } from "./vscode/status-bar";
import { generateCommitMessageCommand } from "./vscode/commit-message";
import { SymbolContext } from "./vscode/symbol-context";
import { TerminalHelp } from "./vscode/terminal-help";
import { WorkspaceContext } from "./vscode/workspace-context";
import { registerWorkspaceTools } from "./vscode/workspace-tools";

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const keys = new ApiKeys(context.secrets);
  const session = new Session(log, keys);
  const exclusions = new Exclusions(session, log);
  const workspaceContext = new WorkspaceContext(exclusions);
  const inline = new InlineCompletions(session, exclusions, workspaceContext, log, new SymbolContext(exclusions));
  const edits = new InstructionEdits(session, exclusions, log);
  const terminalHelp = new TerminalHelp(session, log);
  const loader = new DeploymentLoader(session, keys, context.workspaceState, log);
  const statusBar = new StatusBar(session);
  context.subscriptions.push(log, session, exclusions, workspaceContext, edits, terminalHelp, statusBar);

  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  command("aicockpit.loadDeploymentOutputs", (arg) => loader.loadCommand(arg));
  command("aicockpit.setApiKey", (key, baseUrl, secret) => setApiKeyCommand(session, keys, key, baseUrl, secret));
  command("aicockpit.selectModel", () => selectModelCommand(session));
  command("aicockpit.editSelection", (instruction) => edits.editSelection(instruction));
  command("aicockpit.acceptEdit", () => edits.accept());
  command("aicockpit.rejectEdit", () => edits.reject());
  command("aicockpit.refineEdit", (instruction) => edits.refine(instruction));
  command("aicockpit.generateCommitMessage", (sourceControl) => generateCommitMessageCommand(session, exclusions, log, sourceControl));
  command("aicockpit.explainTerminalFailure", () => terminalHelp.explainCommand());
  command("aicockpit.generateDocComment", () => generateDocCommentCommand(session, exclusions));
  command("aicockpit.insertCodeBlock", (code) => insertCodeBlockCommand(code));
  command("aicockpit.runSuggestedCommand", (fix) => terminalHelp.runSuggested(fix));
  command("aicockpit.showLog", () => {
    log.info(`${session.completionLatency.format("completion latency")}; ${session.chatLatency.format("chat latency")}`);
    log.info(`${inline.describeCounts()}; garbled stream lines skipped: ${session.garbledLines}`);
    log.info(`client-side profile: ${inline.profile.format()}`);
    log.show();
  });

  context.subscriptions.push(
    // Files and notebooks only: not the chat input, output channels or the edit diff views.
    vscode.languages.registerInlineCompletionItemProvider(
      [{ scheme: "file" }, { scheme: "untitled" }, { scheme: "vscode-notebook-cell" }],
      inline,
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration("aicockpit")) return;
      inline.reset();
      void session.reload();
    }),
    keys.onDidChange(() => {
      session.forgetClients();
      void session.checkHealth();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void loader.autoLoad()),
  );
  // Chat needs a VS Code with the chat API; the rest works without it. VS Code invokes
  // participants only when a language model exists, so the chat model is offered as one.
  if (typeof vscode.lm?.registerLanguageModelChatProvider === "function") {
    const models = new AiCockpitLanguageModels(session);
    context.subscriptions.push(models, vscode.lm.registerLanguageModelChatProvider(VENDOR, models));
  }
  if (typeof vscode.lm?.registerTool === "function") context.subscriptions.push(registerWorkspaceTools(exclusions));
  if (typeof vscode.chat?.createChatParticipant === "function") {
    context.subscriptions.push(registerChatParticipant(session, exclusions, terminalHelp));
  }
  // Not awaited: a slow or down server must not hold up activation (and with it every command).
  void loader.autoLoad();
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
