/**
 * Ghost text. The core's CompletionController decides per keystroke: cache and type-through
 * first (no request), backoff (no storm against a failing server), adaptive debounce, and a
 * newer keystroke aborting the older request. This adapter adds what needs VS Code: excluded
 * files, the document and its neighbours as context, the HTTP stream, and reporting.
 */
import * as vscode from "vscode";
import { runCompletion } from "../client/streams";
import { CompletionController, planCompletion, type CompletionModelRef } from "../core";
import type { Exclusions } from "./exclusions";
import type { Log } from "./log";
import { asBackendError, type Session } from "./session";
import type { WorkspaceContext } from "./workspace-context";

/** Write a latency summary to the log every this many completions. */
const LOG_STATS_EVERY = 25;

export class InlineCompletions implements vscode.InlineCompletionItemProvider {
  private controller: CompletionController | undefined;
  private controllerKey = "";
  /** Local counters for the log: how many keystrokes needed a request. */
  private readonly counts = { asked: 0, cacheHits: 0, requests: 0 };

  constructor(
    private readonly session: Session,
    private readonly exclusions: Exclusions,
    private readonly context: WorkspaceContext,
    private readonly log: Log,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const target = this.session.target?.completion;
    if (!this.session.settings["inlineCompletions.enabled"] || !target) return undefined;
    const excluded = this.exclusions.reason(document.uri);
    if (excluded) {
      this.log.once(`excluded:${document.uri.toString()}`, `No completions for ${this.exclusions.relativePath(document.uri)} (${excluded}).`, "info");
      return undefined;
    }
    this.counts.asked++;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const key = { model: target.model, prefix: text.slice(0, offset), suffix: text.slice(offset) };
    const controller = this.controllerFor(target);

    const cancelled = new AbortController();
    const cancellation = token.onCancellationRequested(() => cancelled.abort());
    try {
      const outcome = await controller.provide(key, (signal) => this.fetch(document, text, offset, target, signal), cancelled.signal);
      switch (outcome.source) {
        case "cache":
          this.counts.cacheHits++;
          return [new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, position))];
        case "network":
          return outcome.text ? [new vscode.InlineCompletionItem(outcome.text, new vscode.Range(position, position))] : undefined;
        case "failed": {
          const failure = asBackendError(outcome.error);
          if (failure.kind !== "aborted") this.session.recordFailure(target.baseUrl, failure, target.model, true);
          return undefined;
        }
        default:
          return undefined;
      }
    } finally {
      cancellation.dispose();
    }
  }

  /** Forget cached suggestions (the model or settings changed). */
  reset(): void {
    this.controller?.cancel();
    this.controller = undefined;
  }

  /** `keystrokes asked / cache hits / requests` for the log. */
  describeCounts(): string {
    const { asked, cacheHits, requests } = this.counts;
    return `inline completions: ${asked} asked, ${cacheHits} answered from cache or type-through, ${requests} requests sent`;
  }

  /** One controller per model, endpoint, debounce setting and session reload. */
  private controllerFor(target: CompletionModelRef): CompletionController {
    const debounceMs = this.session.settings.debounceMs;
    const key = `${this.session.epoch}|${target.baseUrl}|${target.model}|${debounceMs}`;
    if (!this.controller || key !== this.controllerKey) {
      this.controller?.cancel();
      this.controller = new CompletionController({ debounceMs, backoff: this.session.backoff(target.baseUrl) });
      this.controllerKey = key;
    }
    return this.controller;
  }

  /** Plan (core), stream with early stop (client), post-process; reports success and figures. */
  private async fetch(document: vscode.TextDocument, text: string, offset: number, target: CompletionModelRef, signal: AbortSignal): Promise<string | undefined> {
    const plan = planCompletion({
      document: { path: this.exclusions.relativePath(document.uri), languageId: document.languageId, text, offset },
      family: target.fimFamily,
      maxModelLen: target.maxModelLen,
      maxTokens: this.session.settings.maxTokens,
      openFiles: this.context.openFiles(document),
      importedFiles: await this.context.importedFiles(document, text),
      recentEdits: this.context.recentEdits(),
      repoName: vscode.workspace.getWorkspaceFolder(document.uri)?.name,
      isExcluded: (path) => this.exclusions.isExcludedPath(path),
    });
    if (signal.aborted) return undefined;
    const client = await this.session.client(target.baseUrl);
    this.counts.requests++;
    const outcome = await runCompletion(client, target.model, plan, signal, editorStyle(document));
    this.session.recordSuccess(target.baseUrl);
    this.session.completionLatency.record(outcome.totalMs);
    this.session.recordGarbled(target.baseUrl, outcome.garbled);
    if (this.session.completionLatency.count % LOG_STATS_EVERY === 0) {
      this.log.info(`${this.session.completionLatency.format("completion latency")}; ${this.describeCounts()}`);
    }
    this.session.notifyStats();
    return outcome.text;
  }
}

/** Indentation and line endings of the editor showing the document. */
function editorStyle(document: vscode.TextDocument): { insertSpaces?: boolean; tabSize?: number; eol: "\n" | "\r\n" } {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const options = editor?.options;
  return {
    insertSpaces: typeof options?.insertSpaces === "boolean" ? options.insertSpaces : undefined,
    tabSize: typeof options?.tabSize === "number" ? options.tabSize : undefined,
    eol: document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n",
  };
}
