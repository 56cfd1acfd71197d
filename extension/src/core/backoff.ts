/**
 * Backoff for a failing endpoint: after each consecutive failure the next request waits
 * longer (exponential, capped), so a down server gets no request storm. Deterministic (no
 * jitter): one editor is one client, there is no herd to spread.
 */

/** Options for {@link BackoffPolicy}. */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
}

/** Tracks consecutive failures and when the next request is allowed. */
export class BackoffPolicy {
  private failures = 0;
  private blockedUntil = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1_000;
    this.maxMs = options.maxMs ?? 60_000;
    this.factor = options.factor ?? 2;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Delay after the n-th consecutive failure (n ≥ 1). */
  delayAfter(failures: number): number {
    if (failures <= 0) return 0;
    return Math.min(this.maxMs, this.initialMs * this.factor ** (failures - 1));
  }

  /** Records a failure at `now`; returns the time from which requests are allowed again. */
  recordFailure(now: number): number {
    this.failures++;
    this.blockedUntil = now + this.delayAfter(this.failures);
    return this.blockedUntil;
  }

  /** A success clears the backoff. */
  recordSuccess(): void {
    this.failures = 0;
    this.blockedUntil = 0;
  }

  /** True when a request may be sent at `now`. */
  canRequest(now: number): boolean {
    return now >= this.blockedUntil;
  }

  /** Milliseconds until a request is allowed (0 when allowed now). */
  retryInMs(now: number): number {
    return Math.max(0, this.blockedUntil - now);
  }
}
