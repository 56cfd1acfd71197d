/**
 * The request economy of inline completions, without I/O: cache and type-through first (no
 * request), then backoff (no storm against a down server), then the adaptive debounce, then
 * the caller's fetch. The vscode provider calls {@link CompletionController.provide} per
 * keystroke; the benchmark drives the same object with a fake backend.
 */
import { BackoffPolicy } from "./backoff";
import { type CompletionKey, CompletionCache } from "./completion-cache";
import { AdaptiveDebouncer, type Clock, systemClock } from "./debounce";
import { LruCache } from "./lru";

/** Most suggestions offered at one position when the user asks for alternatives. */
export const MAX_ALTERNATIVES = 3;

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

/** Fetches several sampled completions in one request (`n` choices). */
export type AlternativesFetcher = (signal: AbortSignal) => Promise<string[]>;

/** How an alternatives call ended: the suggestions to cycle through, first the one already shown. */
export type AlternativesOutcome =
  | { source: "cache" | "network"; texts: string[] }
  | { source: "skipped"; reason: "cancelled" | "backoff"; texts: string[] }
  | { source: "failed"; error: unknown; texts: string[] };

/** One per completion model; reset it when the model or endpoint changes. */
export class CompletionController {
  readonly cache: CompletionCache;
  readonly backoff: BackoffPolicy;
  readonly debouncer: AdaptiveDebouncer;
  private readonly clock: Clock;
  private inFlight: AbortController | undefined;
  private readonly alternatives = new LruCache<string, string[]>(50);
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

  /**
   * Up to {@link MAX_ALTERNATIVES} suggestions for `key`, for the user who asks to cycle
   * through them: the one already shown first, then sampled alternatives from ONE request
   * (`n` choices), cached for the position. An explicit gesture: no debounce.
   */
  async provideAlternatives(key: CompletionKey, fetch: AlternativesFetcher, signal?: AbortSignal): Promise<AlternativesOutcome> {
    const first = this.cache.get(key)?.text;
    const merge = (more: readonly string[]): string[] => [...new Set([...(first ? [first] : []), ...more])].slice(0, MAX_ALTERNATIVES);
    const slot = `${key.model}\u0000${key.prefix.slice(-1_000)}\u0000${key.suffix.slice(0, 200)}`;
    const cached = this.alternatives.get(slot);
    if (cached) return { source: "cache", texts: merge(cached) };
    if (!this.backoff.canRequest(this.clock.now())) return { source: "skipped", reason: "backoff", texts: merge([]) };
    this.debouncer.cancel();
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.requests++;
    try {
      const texts = (await fetch(controller.signal)).filter((t) => t !== "");
      this.backoff.recordSuccess();
      if (texts.length > 0) this.alternatives.set(slot, texts);
      if (!first && texts[0]) this.cache.set(key, texts[0]);
      return { source: "network", texts: merge(texts) };
    } catch (error) {
      if (controller.signal.aborted) return { source: "skipped", reason: "cancelled", texts: merge([]) };
      this.backoff.recordFailure(this.clock.now());
      return { source: "failed", error, texts: merge([]) };
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
