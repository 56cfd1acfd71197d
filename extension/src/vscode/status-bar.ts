/**
 * Status bar item: model, health and last completion latency (`$(hubot) AiCockpit
 * qwen2.5-coder-7b · 42 ms`, or `… unreachable` / `unauthorized` / `model not found`).
 * A click opens the environment and model picker.
 */
import * as vscode from "vscode";
import { statusBarText } from "../core";

/** The status bar's word for a completion model whose FIM markers split on the server. */
export const FIM_SPLIT = "FIM markers split";
import type { Session } from "./session";

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("aicockpit.status", vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.item.name = "AiCockpit";
    this.item.command = "aicockpit.selectModel";
    this.subscription = session.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  render(): void {
    const { health, target } = this.session;
    const model =
      health.kind === "model-not-found"
        ? (this.session.missingModel ?? this.session.primaryModel?.model)
        : this.session.primaryModel?.model;
    const latency = this.session.completionLatency.last;
    const fimProblem = this.session.fimProblem;
    this.item.text = statusBarText(health.kind, model, health.kind === "ok" ? latency : undefined, fimProblem ? FIM_SPLIT : undefined);
    this.item.backgroundColor =
      health.kind === "unreachable" || health.kind === "unauthorized" || health.kind === "error"
        ? new vscode.ThemeColor("statusBarItem.errorBackground")
        : health.kind === "model-not-found" || fimProblem
          ? new vscode.ThemeColor("statusBarItem.warningBackground")
          : undefined;
    const lines = [
      `**AiCockpit** — ${health.detail}`,
      fimProblem ? `$(warning) ${fimProblem}` : undefined,
      target?.environment ? `Environment: \`${target.environment}\`` : target?.source === "manual" ? "Manual setup" : undefined,
      target?.completion
        ? `Completions: \`${target.completion.model}\` (${target.completion.fimFamily}${target.completion.fimGuessed ? ", guessed" : ""})`
        : undefined,
      target?.chat ? `Chat: \`${target.chat.model}\`` : undefined,
      this.session.completionLatency.format("Completion latency"),
      this.session.garbledLines > 0 ? `Garbled stream lines skipped: ${this.session.garbledLines}` : undefined,
      "Click to choose the environment and models.",
    ].filter((line): line is string => line !== undefined);
    const tooltip = new vscode.MarkdownString(lines.join("\n\n"));
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
