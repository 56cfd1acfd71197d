/**
 * Adaptive debounce: while the user types in a burst the delay grows (fewer wasted requests),
 * after an idle pause it shrinks (a quick answer when they stop to think). Bounded both ways.
 */

/** Time source and timers; tests inject a fake one. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options for {@link AdaptiveDebouncer}. */
export interface DebounceOptions {
  /** Starting delay (the `aicockpit.debounceMs` setting). */
  baseMs: number;
  /** Lower bound; default base / 2. */
  minMs?: number;
  /** Upper bound; default base × 3. */
  maxMs?: number;
  /** Keystrokes closer than this are a burst; default 250 ms. */
  burstGapMs?: number;
  /** A pause at least this long counts as idle; default 1000 ms. */
  idleMs?: number;
  /** Growth factor per burst keystroke; default 1.15. */
  growth?: number;
  clock?: Clock;
}

/**
 * Call {@link wait} on every keystroke (each inline-completion request). It resolves true after
 * the current delay, or false at once if aborted or superseded by a newer call.
 */
export class AdaptiveDebouncer {
  private delay: number;
  private last: number | undefined;
  private pending: { handle: unknown; resolve: (fired: boolean) => void } | undefined;
  private readonly min: number;
  private readonly max: number;
  private readonly clock: Clock;

  constructor(private readonly options: DebounceOptions) {
    this.clock = options.clock ?? systemClock;
    this.min = options.minMs ?? Math.round(options.baseMs / 2);
    this.max = options.maxMs ?? options.baseMs * 3;
    this.delay = clamp(options.baseMs, this.min, this.max);
  }

  /** The delay the next request would wait. */
  get currentDelayMs(): number {
    return this.delay;
  }

  /** Updates the delay for a keystroke now and returns it. */
  recordKeystroke(): number {
    const now = this.clock.now();
    const gap = this.last === undefined ? Number.POSITIVE_INFINITY : now - this.last;
    this.last = now;
    const { baseMs, burstGapMs = 250, idleMs = 1_000, growth = 1.15 } = this.options;
    if (gap < burstGapMs) this.delay = this.delay * growth;
    else if (gap >= idleMs) this.delay = this.delay / 2 ** Math.min(8, Math.floor(gap / idleMs));
    else this.delay = (this.delay + baseMs) / 2;
    this.delay = clamp(Math.round(this.delay), this.min, this.max);
    return this.delay;
  }

  /** Records a keystroke and waits the adapted delay; false when aborted or superseded. */
  wait(signal?: AbortSignal): Promise<boolean> {
    this.cancel();
    const delay = this.recordKeystroke();
    if (signal?.aborted) return Promise.resolve(false);
    // No delay: no timer either (a 0 ms timer still costs a turn of the event loop, ≥ 1 ms in Node).
    if (delay <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => this.settle(false);
      const handle = this.clock.setTimeout(() => this.settle(true), delay);
      this.pending = {
        handle,
        resolve: (fired) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(fired);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Resolves a pending wait with false. */
  cancel(): void {
    this.settle(false);
  }

  private settle(fired: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    if (!fired) this.clock.clearTimeout(pending.handle);
    pending.resolve(fired);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
