/**
 * Ghost text. The core's CompletionController decides per keystroke: cache and type-through
 * first (no request), backoff (no storm against a failing server), adaptive debounce, and a
 * newer keystroke aborting the older request. This adapter adds what needs VS Code: excluded
 * files, the document, its neighbours and the definitions of the symbols near the cursor as
 * context, the HTTP stream, and reporting. An explicit request (the user cycling through
 * suggestions) gets up to three alternatives from one request with `n` sampled choices.
 */
import * as vscode from "vscode";
import { runCompletion, runCompletionChoices } from "../client/streams";
import {
  CompletionController,
  LatencyStats,
  MAX_ALTERNATIVES,
  planCompletion,
  type CompletionModelRef,
  type CompletionPlan,
  type SymbolSnippet,
} from "../core";
import type { Exclusions } from "./exclusions";
import type { Log } from "./log";
import { asBackendError, type Session } from "./session";
import type { SymbolContext } from "./symbol-context";
import type { WorkspaceContext } from "./workspace-context";

/** Write a latency summary to the log every this many completions. */
const LOG_STATS_EVERY = 25;
/**
 * Longest a completion waits, after its debounce, for symbol lookups still running. They start
 * at the keystroke, so with the default debounce they have had 60–360 ms already; a slow
 * language server never costs a suggestion more than this.
 */
export const SYMBOL_WAIT_MS = 3;
/** Sampling temperature of the alternatives (vLLM samples n > 1 choices only above 0). */
const ALTERNATIVES_TEMPERATURE = 0.6;

/** Where a keystroke's time goes on the client, for the log (profiled in the e2e benchmark). */
class Profile {
  readonly provide = new LatencyStats();
  readonly symbols = new LatencyStats();
  readonly context = new LatencyStats();
  readonly plan = new LatencyStats();
  readonly firstByte = new LatencyStats();

  format(): string {
    return [
      this.provide.format("provide() until the request leaves", 2),
      this.symbols.format("symbol wait", 2),
      this.context.format("context gathering", 2),
      this.plan.format("prompt build", 2),
      this.firstByte.format("request to first token", 1),
    ].join("; ");
  }
}

export class InlineCompletions implements vscode.InlineCompletionItemProvider {
  private controller: CompletionController | undefined;
  private controllerKey = "";
  /** Local counters for the log: how many keystrokes needed a request. */
  private readonly counts = { asked: 0, cacheHits: 0, requests: 0, alternatives: 0 };
  readonly profile = new Profile();

  constructor(
    private readonly session: Session,
    private readonly exclusions: Exclusions,
    private readonly context: WorkspaceContext,
    private readonly log: Log,
    private readonly symbols?: SymbolContext,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const startedAt = performance.now();
    const target = this.session.target?.completion;
    if (!this.session.settings["inlineCompletions.enabled"] || !target) return undefined;
    const excluded = this.exclusions.reason(document.uri);
    if (excluded) {
      this.log.once(
        `excluded:${document.uri.toString()}`,
        `No completions for ${this.exclusions.relativePath(document.uri)} (${excluded}).`,
        "info",
      );
      return undefined;
    }
    this.counts.asked++;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const key = { model: target.model, prefix: text.slice(0, offset), suffix: text.slice(offset) };
    const controller = this.controllerFor(target);
    const range = new vscode.Range(position, position);
    const request: Request = { document, text, offset, target, startedAt, symbols: this.symbols?.prepare(document, text, offset) };

    const cancelled = new AbortController();
    const cancellation = token.onCancellationRequested(() => cancelled.abort());
    try {
      if (context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke) {
        const outcome = await controller.provideAlternatives(key, (signal) => this.fetchAlternatives(request, signal), cancelled.signal);
        if (outcome.source === "failed") this.reportFailure(target, outcome.error);
        return outcome.texts.length > 0 ? outcome.texts.map((t) => new vscode.InlineCompletionItem(t, range)) : undefined;
      }
      const outcome = await controller.provide(key, (signal) => this.fetch(request, signal), cancelled.signal);
      switch (outcome.source) {
        case "cache":
          this.counts.cacheHits++;
          return [new vscode.InlineCompletionItem(outcome.text, range)];
        case "network":
          return outcome.text ? [new vscode.InlineCompletionItem(outcome.text, range)] : undefined;
        case "failed":
          this.reportFailure(target, outcome.error);
          return undefined;
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
    const { asked, cacheHits, requests, alternatives } = this.counts;
    return `inline completions: ${asked} asked, ${cacheHits} answered from cache or type-through, ${requests} requests sent (${alternatives} for alternatives)`;
  }

  private reportFailure(target: CompletionModelRef, error: unknown): void {
    const failure = asBackendError(error);
    if (failure.kind !== "aborted") this.session.recordFailure(target.baseUrl, failure, target.model, true);
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

  /** The request's plan: symbol definitions (within the wait budget), neighbours, prompt. */
  private async plan(request: Request, signal: AbortSignal): Promise<CompletionPlan | undefined> {
    const { document, text, offset, target } = request;
    const symbolsAt = performance.now();
    const symbols: SymbolSnippet[] = request.symbols ? await request.symbols(SYMBOL_WAIT_MS) : [];
    const contextAt = performance.now();
    this.profile.symbols.record(contextAt - symbolsAt);
    // Symbol definitions replace the heads of imported files: no need to read those then.
    const importedFiles = symbols.length > 0 ? [] : await this.context.importedFiles(document, text);
    const openFiles = this.context.openFiles(document);
    const recentEdits = this.context.recentEdits();
    const planAt = performance.now();
    this.profile.context.record(planAt - contextAt);
    const plan = planCompletion({
      document: { path: this.exclusions.relativePath(document.uri), languageId: document.languageId, text, offset },
      family: target.fimFamily,
      maxModelLen: target.maxModelLen,
      maxTokens: this.session.settings.maxTokens,
      openFiles,
      importedFiles,
      recentEdits,
      symbols,
      stopTokenIds: this.session.fim.stopTokenIds(target),
      repoName: vscode.workspace.getWorkspaceFolder(document.uri)?.name,
      isExcluded: (path) => this.exclusions.isExcludedPath(path),
    });
    this.profile.plan.record(performance.now() - planAt);
    return signal.aborted ? undefined : plan;
  }

  /** Plan (core), stream with early stop (client), post-process; reports success and figures. */
  private async fetch(request: Request, signal: AbortSignal): Promise<string | undefined> {
    const plan = await this.plan(request, signal);
    if (!plan) return undefined;
    const { target, document } = request;
    const client = await this.session.client(target.baseUrl);
    this.counts.requests++;
    this.profile.provide.record(performance.now() - request.startedAt);
    const outcome = await runCompletion(client, target.model, plan, signal, editorStyle(document));
    this.report(target, outcome);
    return outcome.text;
  }

  /** Up to {@link MAX_ALTERNATIVES} sampled suggestions from one request. */
  private async fetchAlternatives(request: Request, signal: AbortSignal): Promise<string[]> {
    const plan = await this.plan(request, signal);
    if (!plan) return [];
    const { target, document } = request;
    const client = await this.session.client(target.baseUrl);
    this.counts.requests++;
    this.counts.alternatives++;
    const outcome = await runCompletionChoices(
      client,
      target.model,
      plan,
      { n: MAX_ALTERNATIVES, temperature: ALTERNATIVES_TEMPERATURE },
      signal,
      editorStyle(document),
    );
    this.report(target, outcome);
    return outcome.texts;
  }

  private report(target: CompletionModelRef, outcome: { totalMs: number; firstTokenMs: number | undefined; garbled: number }): void {
    this.session.recordSuccess(target.baseUrl);
    this.session.completionLatency.record(outcome.totalMs);
    if (outcome.firstTokenMs !== undefined) this.profile.firstByte.record(outcome.firstTokenMs);
    this.session.recordGarbled(target.baseUrl, outcome.garbled);
    if (this.session.completionLatency.count % LOG_STATS_EVERY === 0) {
      this.log.info(`${this.session.completionLatency.format("completion latency")}; ${this.describeCounts()}`);
      this.log.info(`client-side profile: ${this.profile.format()}`);
    }
    this.session.notifyStats();
  }
}

/** One keystroke's request, as the provider saw it. */
interface Request {
  document: vscode.TextDocument;
  text: string;
  offset: number;
  target: CompletionModelRef;
  /** performance.now() when VS Code asked. */
  startedAt: number;
  /** Resolves the symbol definitions known within a wait budget (symbol-context.ts). */
  symbols?: (budgetMs: number) => Promise<SymbolSnippet[]>;
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
