/**
 * The request economy of inline completions, without I/O: cache and type-through first (no
 * request), then backoff (no storm against a down server), then the adaptive debounce, then
 * the caller's fetch. The vscode provider calls {@link CompletionController.provide} per
 * keystroke; the benchmark drives the same object with a fake backend.
 */
import { BackoffPolicy } from "./backoff";
import { type CompletionKey, CompletionCache } from "./completion-cache";
import { AdaptiveDebouncer, type Clock, systemClock } from "./debounce";

/** How a provide call ended. */
export type ProvideOutcome =
  | { source: "cache"; text: string; kind: "exact" | "type-through" }
  | { source: "network"; text: string | undefined; latencyMs: number }
  | { source: "skipped"; reason: "superseded" | "cancelled" | "backoff" }
  | { source: "failed"; error: unknown; retryInMs: number };

/** Options for {@link CompletionController}. */
export interface ControllerOptions {
  debounceMs: number;
  clock?: Clock;
  cache?: CompletionCache;
  backoff?: BackoffPolicy;
}

/** Fetches a completion (plan, HTTP, stream, post-process); must honour the abort signal. */
export type CompletionFetcher = (signal: AbortSignal) => Promise<string | undefined>;

/** One per completion model; reset it when the model or endpoint changes. */
export class CompletionController {
  readonly cache: CompletionCache;
  readonly backoff: BackoffPolicy;
  readonly debouncer: AdaptiveDebouncer;
  private readonly clock: Clock;
  private inFlight: AbortController | undefined;
  /** Requests handed to the fetcher (for the log and the benchmark). */
  requests = 0;

  constructor(options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
    this.cache = options.cache ?? new CompletionCache();
    this.backoff = options.backoff ?? new BackoffPolicy();
    this.debouncer = new AdaptiveDebouncer({ baseMs: options.debounceMs, clock: this.clock });
  }

  /**
   * A completion for `key`. A newer call supersedes this one: its debounce resolves as
   * skipped, and an in-flight request is aborted.
   */
  async provide(key: CompletionKey, fetch: CompletionFetcher, signal?: AbortSignal): Promise<ProvideOutcome> {
    const hit = this.cache.get(key);
    if (hit) {
      this.debouncer.cancel();
      this.debouncer.recordKeystroke(); // typing speed still counts while typing through
      return { source: "cache", text: hit.text, kind: hit.kind };
    }
    if (!this.backoff.canRequest(this.clock.now())) return { source: "skipped", reason: "backoff" };
    if (!(await this.debouncer.wait(signal))) return { source: "skipped", reason: "superseded" };
    if (signal?.aborted) return { source: "skipped", reason: "cancelled" };

    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const started = this.clock.now();
    this.requests++;
    try {
      const text = await fetch(controller.signal);
      this.backoff.recordSuccess();
      if (text) this.cache.set(key, text);
      return { source: "network", text, latencyMs: this.clock.now() - started };
    } catch (error) {
      if (controller.signal.aborted) return { source: "skipped", reason: "cancelled" };
      this.backoff.recordFailure(this.clock.now());
      return { source: "failed", error, retryInMs: this.backoff.retryInMs(this.clock.now()) };
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  /** Aborts the in-flight request and any pending debounce (e.g. on editor change). */
  cancel(): void {
    this.debouncer.cancel();
    this.inFlight?.abort();
  }
}
