/** Local latency statistics (never sent anywhere): p50/p95 over a sliding window. */

/** Nearest-rank percentile of already sorted values (`p` in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summary of the window. */
export interface LatencySummary {
  count: number;
  last: number;
  p50: number;
  p95: number;
  max: number;
}

/** Keeps the last `windowSize` samples in a ring buffer. */
export class LatencyStats {
  private readonly samples: number[] = [];
  private next = 0;
  private total = 0;
  private lastValue: number | undefined;

  constructor(readonly windowSize = 200) {}

  /** Adds a sample in milliseconds. */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.samples.length < this.windowSize) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.windowSize;
    this.total++;
    this.lastValue = ms;
  }

  /** Samples recorded since creation (not only those in the window). */
  get count(): number {
    return this.total;
  }

  /** Most recent sample, or undefined. */
  get last(): number | undefined {
    return this.lastValue;
  }

  summary(): LatencySummary | undefined {
    const last = this.last;
    if (last === undefined) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { count: this.total, last, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
  }

  /** One line for the output channel, e.g. `completions: 120 samples, p50 41 ms, p95 88 ms, max 130 ms`. */
  format(label: string, digits = 0): string {
    const s = this.summary();
    if (!s) return `${label}: no samples yet`;
    const r = (n: number): string => `${n.toFixed(digits)} ms`;
    return `${label}: ${s.count} samples, last ${r(s.last)}, p50 ${r(s.p50)}, p95 ${r(s.p95)}, max ${r(s.max)}`;
  }
}
