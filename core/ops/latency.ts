/**
 * Latency percentiles through HdrHistogram (hdr-histogram-js): values are recorded in
 * microseconds with 3 significant digits, so a percentile is within 0.1 % of the true value
 * however many requests were recorded, in constant memory.
 */
import { build, type Histogram } from "hdr-histogram-js";

/** The percentiles every report shows; p95 too, because the completion SLO is a p95. */
export const PERCENTILES = [50, 90, 95, 99] as const;

/** One latency distribution, in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** One hour, in microseconds: a streamed request never legitimately takes longer. */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

export class LatencyRecorder {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });

  /** Records one latency in milliseconds (clamped to [1 µs, 1 h]). */
  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.histogram.recordValue(Math.min(HIGHEST_TRACKABLE_US, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The distribution in milliseconds, or null when nothing was recorded. */
  summary(): LatencySummary | null {
    const h = this.histogram;
    if (h.totalCount === 0) return null;
    const ms = (us: number) => roundMs(us / 1000);
    return {
      count: h.totalCount,
      min: ms(h.minNonZeroValue),
      mean: ms(h.mean),
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
    };
  }
}

/** Milliseconds to 3 decimals (microsecond resolution), so results.json stays readable. */
function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}
