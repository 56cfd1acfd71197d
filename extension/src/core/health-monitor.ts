/**
 * Endpoint health and backoff, without I/O: one backoff per base URL, shared by the health
 * probes and every feature's requests; probes of the configured models (every minute while all
 * is well, on the backoff schedule while an endpoint fails); and the state the status bar
 * shows. The vscode session supplies the probe and the log; tests drive it with a manual clock.
 */
import { BackoffPolicy } from "./backoff";
import { type Clock, systemClock } from "./debounce";
import { classifyHealth, type Health, type ProbeResult } from "./health";
import { healthOfFailure, isEndpointFailure, type RequestFailure } from "./request-failure";
import type { ModelTarget } from "./target";

/** Health checks while all is well; failing endpoints are probed on the backoff schedule. */
export const HEALTHY_RECHECK_MS = 60_000;
/** Probes never follow each other closer than this. */
export const MIN_RECHECK_MS = 1_000;

/** Where the monitor writes what the user should know; a repeated message is written once per key. */
export interface HealthLog {
  once(key: string, message: string, level?: "info" | "warn" | "error"): void;
  /** Forgets `key`, so its next message is written again. */
  reset(key: string): void;
}

/** Options for {@link HealthMonitor}. */
export interface HealthMonitorOptions {
  /** `GET /v1/models` on a base URL with its key. */
  probe: (baseUrl: string) => Promise<ProbeResult>;
  /** Where probe and request failures are reported. */
  log: HealthLog;
  /** Called when {@link HealthMonitor.health} changes. */
  onChange?: () => void;
  /** @default the system clock */
  clock?: Clock;
}

const UNCONFIGURED: Health = {
  kind: "unconfigured",
  detail: 'No model configured: run "AiCockpit: Load Deployment Outputs" or set aicockpit.manual.baseUrl.',
};

/** One per session; {@link reset} it whenever the models change. */
export class HealthMonitor {
  private current: Health = { kind: "unconfigured", detail: "No model configured yet." };
  private missing: string | undefined;
  private readonly clock: Clock;
  private wanted = new Map<string, string[]>();
  private readonly backoffs = new Map<string, BackoffPolicy>();
  private timer: unknown;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private disposed = false;

  constructor(private readonly options: HealthMonitorOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** What the status bar shows. */
  get health(): Health {
    return this.current;
  }

  /** With health "model-not-found": the configured name the server does not serve. */
  get missingModel(): string | undefined {
    return this.missing;
  }

  /** New models or settings: probe these models from now on, every backoff forgotten. */
  reset(target: ModelTarget | undefined): void {
    this.wanted = wantedModelsByBaseUrl(target);
    this.backoffs.clear();
  }

  /** The backoff of a base URL, shared by health probes and every feature's requests. */
  backoff(baseUrl: string): BackoffPolicy {
    let backoff = this.backoffs.get(baseUrl);
    if (!backoff) {
      backoff = new BackoffPolicy();
      this.backoffs.set(baseUrl, backoff);
    }
    return backoff;
  }

  /** False while a failing endpoint is backed off: callers then send nothing. */
  canRequest(baseUrl: string): boolean {
    return this.backoff(baseUrl).canRequest(this.clock.now());
  }

  /** A request succeeded: clear its backoff, and if the endpoint was failing, probe again at once. */
  recordSuccess(baseUrl: string): void {
    const backoff = this.backoff(baseUrl);
    // Only the endpoint's own failures count: a model missing elsewhere must not cost a probe per request.
    const wasFailing = backoff.consecutiveFailures > 0;
    backoff.recordSuccess();
    if (wasFailing) void this.check();
  }

  /**
   * A request failed: back off from endpoint failures and show them in the status bar.
   * `backoffRecorded` when the caller's controller already counted it on the same policy.
   */
  recordFailure(baseUrl: string, failure: RequestFailure, model?: string, backoffRecorded = false): void {
    if (!isEndpointFailure(failure.kind)) {
      if (failure.kind === "bad-request") this.options.log.once(`bad-request:${baseUrl}`, failure.message);
      return;
    }
    const backoff = this.backoff(baseUrl);
    const now = this.clock.now();
    const until = backoffRecorded ? now + backoff.retryInMs(now) : backoff.recordFailure(now);
    if (failure.kind === "model-not-found") this.missing = model ?? failure.details.model;
    this.setHealth(healthOfFailure(failure, baseUrl, model));
    this.options.log.once(
      `failure:${baseUrl}`,
      `${baseUrl}: ${failure.message} — backing off ${Math.round((until - now) / 1000)} s (failure ${backoff.consecutiveFailures}).`,
    );
    this.schedule(backoff.retryInMs(now));
  }

  /**
   * Probes every base URL in use, one round at a time. Asked again mid-round (a new key, new
   * settings), it probes once more right after, since the running round may have seen the old state.
   */
  check(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.recheck = false;
        await this.probeAll();
      } while (this.recheck && !this.disposed);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Stops probing. */
  dispose(): void {
    this.disposed = true;
    this.clock.clearTimeout(this.timer);
  }

  private async probeAll(): Promise<void> {
    this.clock.clearTimeout(this.timer);
    const wanted = this.wanted;
    if (wanted.size === 0) {
      this.setHealth(UNCONFIGURED);
      return;
    }
    let worst: Health = { kind: "ok", detail: "" };
    const details: string[] = [];
    let retryMs = HEALTHY_RECHECK_MS;
    for (const [baseUrl, models] of wanted) {
      const result = await this.options.probe(baseUrl);
      const health = classifyHealth(result, models, baseUrl);
      details.push(health.detail);
      const backoff = this.backoff(baseUrl);
      if (health.kind === "ok") {
        backoff.recordSuccess();
        this.options.log.reset(`health:${baseUrl}`);
      } else if (health.kind === "model-not-found") {
        if (result.ok) this.missing = models.find((m) => !result.models.includes(m));
        // The server is up: requests for a model it has still work; a missing one backs off on its own 404s.
        if (worst.kind === "ok") worst = health;
        this.options.log.once(`health:${baseUrl}`, health.detail);
      } else {
        backoff.recordFailure(this.clock.now());
        retryMs = Math.min(retryMs, backoff.retryInMs(this.clock.now()));
        // An endpoint that fails outranks one that only misses a model.
        if (worst.kind === "ok" || worst.kind === "model-not-found") worst = health;
        this.options.log.once(`health:${baseUrl}`, health.detail);
      }
    }
    this.setHealth(worst.kind === "ok" ? { kind: "ok", detail: details.join(" ") } : worst);
    this.schedule(retryMs);
  }

  private setHealth(health: Health): void {
    const changed = health.kind !== this.current.kind || health.detail !== this.current.detail;
    this.current = health;
    if (changed) this.options.onChange?.();
  }

  private schedule(ms: number): void {
    this.clock.clearTimeout(this.timer);
    if (this.disposed) return;
    this.timer = this.clock.setTimeout(() => void this.check(), Math.max(MIN_RECHECK_MS, ms));
  }
}

/** The configured models grouped by base URL (completion and chat may share one). */
function wantedModelsByBaseUrl(target: ModelTarget | undefined): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  for (const ref of [target?.completion, target?.chat]) {
    if (!ref) continue;
    const models = wanted.get(ref.baseUrl) ?? [];
    if (!models.includes(ref.model)) models.push(ref.model);
    wanted.set(ref.baseUrl, models);
  }
  return wanted;
}
