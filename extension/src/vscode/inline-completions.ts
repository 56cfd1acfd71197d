/**
 * Ghost text. Per keystroke: excluded files get nothing; the cache answers at once (also while
 * the user types along a shown suggestion); otherwise, unless the endpoint is backed off,
 * wait the adaptive debounce, plan the FIM request (core), stream it with early stop, and
 * post-process. A newer keystroke aborts the older HTTP request.
 */
import * as vscode from "vscode";
import { runCompletion } from "../client/streams";
import { AdaptiveDebouncer, CompletionCache, planCompletion, type CompletionModelRef } from "../core";
import type { Exclusions } from "./exclusions";
import type { Log } from "./log";
import { asBackendError, type Session } from "./session";
import type { WorkspaceContext } from "./workspace-context";

/** Write a latency summary to the log every this many completions. */
const LOG_STATS_EVERY = 25;

export class InlineCompletions implements vscode.InlineCompletionItemProvider {
  private readonly cache = new CompletionCache();
  private debouncer: AdaptiveDebouncer;
  private debounceBase: number;
  private inFlight: AbortController | undefined;
  /** Local counters for the log: how many keystrokes needed a request. */
  private readonly counts = { asked: 0, cacheHits: 0, requests: 0 };

  constructor(
    private readonly session: Session,
    private readonly exclusions: Exclusions,
    private readonly context: WorkspaceContext,
    private readonly log: Log,
  ) {
    this.debounceBase = session.settings.debounceMs;
    this.debouncer = new AdaptiveDebouncer({ baseMs: this.debounceBase });
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
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
    const hit = this.cache.get(key);
    if (hit) {
      this.counts.cacheHits++;
      return [new vscode.InlineCompletionItem(hit.text, new vscode.Range(position, position))];
    }
    if (!this.session.canRequest(target.baseUrl)) return undefined;

    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && !(await this.debounce().wait(controller.signal))) return undefined;
      const suggestion = await this.request(document, text, offset, target, controller.signal);
      if (!suggestion) return undefined;
      this.cache.set(key, suggestion);
      return [new vscode.InlineCompletionItem(suggestion, new vscode.Range(position, position))];
    } catch (error) {
      const failure = asBackendError(error);
      if (failure.kind !== "aborted") this.session.recordFailure(target.baseUrl, failure, target.model);
      return undefined;
    } finally {
      cancellation.dispose();
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** Forget cached suggestions (the model or settings changed). */
  reset(): void {
    this.cache.clear();
  }

  /** `keystrokes asked / cache hits / requests` for the log. */
  describeCounts(): string {
    const { asked, cacheHits, requests } = this.counts;
    return `inline completions: ${asked} asked, ${cacheHits} answered from cache or type-through, ${requests} requests sent`;
  }

  private async request(
    document: vscode.TextDocument,
    text: string,
    offset: number,
    target: CompletionModelRef,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const settings = this.session.settings;
    const plan = planCompletion({
      document: { path: this.exclusions.relativePath(document.uri), languageId: document.languageId, text, offset },
      family: target.fimFamily,
      maxModelLen: target.maxModelLen,
      maxTokens: settings.maxTokens,
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

  private debounce(): AdaptiveDebouncer {
    if (this.session.settings.debounceMs !== this.debounceBase) {
      this.debounceBase = this.session.settings.debounceMs;
      this.debouncer = new AdaptiveDebouncer({ baseMs: this.debounceBase });
    }
    return this.debouncer;
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
