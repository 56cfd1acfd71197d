/** The "AiCockpit" output channel: failures, garbled stream lines, latency figures. Local only. */
import * as vscode from "vscode";

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel("AiCockpit", { log: true });
  /** Last message per key, so a repeating failure is written once, not once per keystroke. */
  private readonly lastByKey = new Map<string, string>();

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  /** Writes `message` unless it is what was last written under `key`. */
  once(key: string, message: string, level: "info" | "warn" | "error" = "warn"): void {
    if (this.lastByKey.get(key) === message) return;
    this.lastByKey.set(key, message);
    this[level](message);
  }

  /** Forgets `key`, so its next message is written again. */
  reset(key: string): void {
    this.lastByKey.delete(key);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
