/**
 * "AiCockpit: Explain Last Terminal Failure". Shell integration reports each command's
 * output (read from its start) and exit code; the last failure is explained in chat by
 * `@aicockpit` (or, without the chat view, in a Markdown preview), and the proposed fix runs
 * only when the user clicks its button.
 */
import * as vscode from "vscode";
import { buildTerminalFailureMessages, parseFixCommand, stripAnsi, type TerminalFailure } from "../core";
import { chatWithProgress } from "./chat-request";
import type { Log } from "./log";
import type { Session } from "./session";

/** The chat prompt the command sends; the participant recognises it. */
export const TERMINAL_PROMPT = "Explain the last terminal failure";
/** Output kept per command: errors are at the end. */
const MAX_OUTPUT_CHARS = 32_000;
/** Longest wait for a clipboard operation. */
const CLIPBOARD_MS = 1_500;
/** How long the chat view gets to pick the request up before the Markdown fallback. */
const CHAT_PICKUP_MS = 4_000;

interface Failure {
  failure: TerminalFailure;
  terminal: vscode.Terminal;
  execution: vscode.TerminalShellExecution;
  output: { text: string };
}

export class TerminalHelp implements vscode.Disposable {
  private readonly outputs = new WeakMap<vscode.TerminalShellExecution, { text: string }>();
  private readonly lastExecution = new WeakMap<vscode.Terminal, vscode.TerminalShellExecution>();
  private last: Failure | undefined;
  private pickedUp = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly log: Log,
  ) {
    this.disposables.push(
      // read() only yields data written after its first call, so start reading at once.
      vscode.window.onDidStartTerminalShellExecution((e) => void this.capture(e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => this.onEnd(e)),
    );
  }

  /** The command: hand the failure to the chat participant, or explain it in a Markdown preview. */
  async explainCommand(): Promise<void> {
    if (!this.last) {
      void vscode.window.showInformationMessage(
        "AiCockpit: no failed terminal command seen yet (this needs VS Code's terminal shell integration).",
      );
      return;
    }
    this.pickedUp = false;
    await this.recoverOutput(this.last);
    try {
      await vscode.commands.executeCommand("workbench.action.chat.open", { query: `@aicockpit ${TERMINAL_PROMPT}`, isPartialQuery: false });
      await new Promise((resolve) => setTimeout(resolve, CHAT_PICKUP_MS));
      if (this.pickedUp) return;
      this.log.info("The chat view did not run @aicockpit; explaining the failure in a Markdown preview instead.");
    } catch {
      this.log.info("No chat view available; explaining the failure in a Markdown preview.");
    }
    await this.explainInPreview(this.last);
  }

  /** For the chat participant: the failure when the prompt asks for it. */
  takeFailure(prompt: string): TerminalFailure | undefined {
    if (prompt.trim() !== TERMINAL_PROMPT || !this.last) return undefined;
    this.pickedUp = true;
    return this.last.failure;
  }

  /** Runs a proposed command in the terminal that failed — only ever from a user's click. */
  runSuggested(command: unknown): void {
    if (typeof command !== "string" || !command.trim()) return;
    const terminal =
      this.last?.terminal && vscode.window.terminals.includes(this.last.terminal)
        ? this.last.terminal
        : (vscode.window.activeTerminal ?? vscode.window.createTerminal("AiCockpit"));
    terminal.show();
    if (terminal.shellIntegration) terminal.shellIntegration.executeCommand(command);
    else terminal.sendText(command, true);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async capture(execution: vscode.TerminalShellExecution): Promise<void> {
    const buffer = { text: "" };
    this.outputs.set(execution, buffer);
    try {
      for await (const data of execution.read()) {
        buffer.text += data;
        if (buffer.text.length > MAX_OUTPUT_CHARS * 2) buffer.text = buffer.text.slice(-MAX_OUTPUT_CHARS);
      }
    } catch {
      // The terminal went away; keep what was read.
    }
  }

  private onEnd(event: vscode.TerminalShellExecutionEndEvent): void {
    this.lastExecution.set(event.terminal, event.execution);
    const commandLine = event.execution.commandLine.value.trim();
    if (event.exitCode === undefined || event.exitCode === 0 || commandLine === "") return;
    // The end event can arrive before read() delivered the last data; read lazily at use.
    const output = this.outputs.get(event.execution) ?? { text: "" };
    const terminal = event.terminal;
    const failure: TerminalFailure = {
      commandLine,
      exitCode: event.exitCode,
      cwd: event.execution.cwd?.fsPath,
      shell: shellName(terminal),
      os: process.platform,
      get output() {
        return stripAnsi(output.text).slice(-MAX_OUTPUT_CHARS);
      },
    };
    this.last = { failure, terminal, execution: event.execution, output };
    this.log.info(
      `Terminal: \`${commandLine}\` failed with exit code ${event.exitCode} (${output.text.length} characters of output read so far).`,
    );
  }

  /**
   * A quick command can finish before the start event reaches the extension, and read() only
   * sees data written after it is called. Then, if the failure is still its terminal's last
   * command, VS Code's "copy last command output" gets the text (the clipboard is restored).
   */
  private async recoverOutput(last: Failure): Promise<void> {
    if (last.output.text.trim() !== "" || this.lastExecution.get(last.terminal) !== last.execution) return;
    // In a browser (code-server) the clipboard may need a permission: never wait on it long.
    const saved = await withTimeout(vscode.env.clipboard.readText(), CLIPBOARD_MS);
    if (saved === undefined) {
      this.log.info("Terminal output not captured and the clipboard is not readable; explaining from the command line and exit code.");
      return;
    }
    try {
      last.terminal.show(true);
      await withTimeout(vscode.commands.executeCommand("workbench.action.terminal.copyLastCommandOutput"), CLIPBOARD_MS);
      const copied = await withTimeout(vscode.env.clipboard.readText(), CLIPBOARD_MS);
      if (copied !== undefined && copied !== saved) last.output.text = copied;
    } finally {
      await withTimeout(vscode.env.clipboard.writeText(saved), CLIPBOARD_MS);
    }
  }

  private async explainInPreview(last: Failure): Promise<void> {
    const chat = this.session.target?.chat;
    if (!chat) {
      void vscode.window.showWarningMessage("AiCockpit: no chat model configured.");
      return;
    }
    const reply = await chatWithProgress(this.session, {
      title: "AiCockpit: explaining the failure…",
      model: chat,
      messages: buildTerminalFailureMessages(last.failure),
    });
    if (reply === undefined) return;
    const heading = `# \`${last.failure.commandLine}\` failed (exit code ${last.failure.exitCode})\n\n`;
    const document = await vscode.workspace.openTextDocument({ language: "markdown", content: heading + reply });
    await vscode.commands.executeCommand("markdown.showPreview", document.uri);
    const fix = parseFixCommand(reply);
    if (!fix) return;
    const choice = await vscode.window.showInformationMessage(`AiCockpit proposes: ${fix}`, "Run in Terminal", "Copy");
    if (choice === "Run in Terminal") this.runSuggested(fix);
    else if (choice === "Copy") await vscode.env.clipboard.writeText(fix);
  }
}

/** The value, or undefined when it takes longer than `ms` or fails. */
function withTimeout<T>(thenable: Thenable<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    Promise.resolve(thenable).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

function shellName(terminal: vscode.Terminal): string | undefined {
  const options = terminal.creationOptions as vscode.TerminalOptions;
  const path = typeof options.shellPath === "string" ? options.shellPath : vscode.env.shell;
  return path
    ? path
        .split(/[\\/]/)
        .pop()
        ?.replace(/\.exe$/i, "")
    : undefined;
}
