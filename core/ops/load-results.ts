/**
 * What a load test measured, level by level, as `results.json` stores it and the report draws it.
 * A level is one concurrency (closed loop: N clients, each sending its next request when the
 * last one ends) or one arrival rate (open loop: Poisson arrivals whatever the answers).
 */
import { LatencyRecorder, type LatencySummary } from "./latency";

export type LoadMode = "concurrency" | "rate";

export interface LoadLevel {
  mode: LoadMode;
  /** Clients (concurrency) or requests per second (rate). */
  value: number;
}

/** Why a request failed: `http_<status>`, or a transport or stream problem. */
export type ErrorKind = `http_${number}` | "timeout" | "connection" | "incomplete_stream" | "malformed_stream" | "backlog";

/** What happened to one request. */
export type RequestOutcome =
  | {
      ok: true;
      ttftMs: number;
      /** Gaps between successive streamed chunks that carried text. */
      interTokenMs: readonly number[];
      e2eMs: number;
      outputTokens: number;
    }
  | { ok: false; kind: ErrorKind }
  /** Stopped by Ctrl-C: neither a success nor a failure of the server. */
  | { ok: "cancelled" };

export interface LevelResult {
  level: LoadLevel;
  /** Wall-clock seconds from the level's first request to its last answer. */
  durationS: number;
  requests: { sent: number; ok: number; failed: number; cancelled: number };
  errors: Partial<Record<ErrorKind, number>>;
  ttftMs: LatencySummary | null;
  interTokenMs: LatencySummary | null;
  e2eMs: LatencySummary | null;
  outputTokens: number;
  /** Successful requests per second. */
  requestsPerS: number;
  /** Output tokens of successful requests per second. */
  outputTokensPerS: number;
  /** The level was cut short by Ctrl-C. */
  interrupted: boolean;
}

/** The SLO a run is measured against, from the environment (or the defaults). */
export interface SloTargets {
  availabilityPercent: number;
  completionTtftP95Ms: number;
  /** Where the targets came from, e.g. `environments/local.yaml` or `defaults`. */
  source: string;
}

export interface LoadTestSettings {
  endpoint: string;
  model: string;
  workload: "fim" | "chat";
  fimTemplate?: string;
  mode: LoadMode;
  levels: number[];
  /** Requests per level, when the level is bounded by a count. */
  requestsPerLevel?: number;
  /** Seconds per level, when the level is bounded by time. */
  durationS?: number;
  maxTokens: number;
  timeoutS: number;
  seed: number;
  /** Where FIM cases were cut from. */
  sourceRoot?: string;
}

export interface LoadTestResults {
  /** Bumped when the shape changes. */
  version: 1;
  startedAt: string;
  finishedAt: string;
  settings: LoadTestSettings;
  slo: SloTargets;
  levels: LevelResult[];
  /** Ctrl-C stopped the run; `levels` holds what was measured until then. */
  interrupted: boolean;
}

/** Collects one level's outcomes. */
export class LevelAccumulator {
  private readonly ttft = new LatencyRecorder();
  private readonly interToken = new LatencyRecorder();
  private readonly e2e = new LatencyRecorder();
  private readonly errors: Partial<Record<ErrorKind, number>> = {};
  private ok = 0;
  private failed = 0;
  private cancelled = 0;
  private tokens = 0;

  constructor(readonly level: LoadLevel) {}

  add(outcome: RequestOutcome): void {
    if (outcome.ok === "cancelled") {
      this.cancelled += 1;
    } else if (outcome.ok) {
      this.ok += 1;
      this.tokens += outcome.outputTokens;
      this.ttft.record(outcome.ttftMs);
      this.e2e.record(outcome.e2eMs);
      for (const gap of outcome.interTokenMs) this.interToken.record(gap);
    } else {
      this.failed += 1;
      this.errors[outcome.kind] = (this.errors[outcome.kind] ?? 0) + 1;
    }
  }

  get completed(): number {
    return this.ok + this.failed;
  }

  get succeeded(): number {
    return this.ok;
  }

  get errorCount(): number {
    return this.failed;
  }

  result(durationS: number, interrupted: boolean): LevelResult {
    const perS = (n: number) => (durationS > 0 ? Math.round((n / durationS) * 100) / 100 : 0);
    return {
      level: this.level,
      durationS: Math.round(durationS * 1000) / 1000,
      requests: { sent: this.ok + this.failed + this.cancelled, ok: this.ok, failed: this.failed, cancelled: this.cancelled },
      errors: { ...this.errors },
      ttftMs: this.ttft.summary(),
      interTokenMs: this.interToken.summary(),
      e2eMs: this.e2e.summary(),
      outputTokens: this.tokens,
      requestsPerS: perS(this.ok),
      outputTokensPerS: perS(this.tokens),
      interrupted,
    };
  }
}

/** `c=16` or `8 req/s`: how a level is named in tables, progress lines and charts. */
export function levelLabel(level: LoadLevel): string {
  return level.mode === "concurrency" ? `c=${level.value}` : `${level.value} req/s`;
}

/** Share of failed requests among those that finished, in percent (0 when none finished). */
export function errorPercent(result: LevelResult): number {
  const finished = result.requests.ok + result.requests.failed;
  return finished === 0 ? 0 : (result.requests.failed / finished) * 100;
}
