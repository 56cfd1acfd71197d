/**
 * What the extension is connected to, and how that is going: settings, the loaded deployment,
 * the resolved models, one backend client per base URL, health, backoff and local latency
 * figures. Every feature asks the session for a client and reports back success or failure.
 */
import * as vscode from "vscode";
import { BackendClient } from "../client/backend-client";
import { BackendError } from "../client/errors";
import {
  BackoffPolicy,
  classifyHealth,
  LatencyStats,
  resolveTarget,
  type AiCockpitSettings,
  type Endpoint,
  type Health,
  type ModelRef,
  type ModelTarget,
} from "../core";
import type { ApiKeys } from "./api-keys";
import { readSettings, resolvePath } from "./config";
import type { Log } from "./log";

/** A loaded deployment outputs file. */
export interface Deployment {
  file: vscode.Uri;
  endpoints: Endpoint[];
}

/** Health checks while all is well; failing endpoints are probed on the backoff schedule. */
const HEALTHY_RECHECK_MS = 60_000;

export class Session implements vscode.Disposable {
  settings: AiCockpitSettings;
  deployment: Deployment | undefined;
  target: ModelTarget | undefined;
  health: Health = { kind: "unconfigured", detail: "No model configured yet." };
  /** With health "model-not-found": the configured name the server does not serve. */
  missingModel: string | undefined;
  readonly completionLatency = new LatencyStats();
  readonly chatLatency = new LatencyStats();
  garbledLines = 0;
  /** Bumped on every reload: per-model state (caches, controllers) built before is stale. */
  epoch = 0;

  private caPem: string | undefined;
  private readonly clients = new Map<string, BackendClient>();
  private readonly backoffs = new Map<string, BackoffPolicy>();
  private healthTimer: ReturnType<typeof setTimeout> | undefined;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private disposed = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Log,
    private readonly keys: ApiKeys,
  ) {
    this.settings = readSettings().settings;
  }

  /** Re-reads settings and the CA file, resolves the models again and checks health. */
  async reload(): Promise<void> {
    const parsed = readSettings();
    for (const problem of parsed.problems) this.log.once(`setting:${problem.split(":")[0]}`, problem);
    this.settings = parsed.settings;
    this.caPem = await this.readCaFile(this.settings.caFile);
    this.target = resolveTarget(this.settings, this.deployment?.endpoints);
    for (const note of this.target?.notes ?? []) this.log.once(`note:${note}`, note, "info");
    this.clients.clear();
    this.backoffs.clear();
    this.epoch++;
    this.changed.fire();
    await this.checkHealth();
  }

  async setDeployment(deployment: Deployment | undefined): Promise<void> {
    this.deployment = deployment;
    await this.reload();
  }

  /** The client for a base URL, with its stored key, the CA file and the timeout. */
  async client(baseUrl: string): Promise<BackendClient> {
    const cached = this.clients.get(baseUrl);
    if (cached) return cached;
    const apiKey = await this.keys.get(baseUrl);
    const client = new BackendClient({ baseUrl, apiKey, timeoutMs: this.settings.requestTimeoutMs, caPem: this.caPem });
    this.clients.set(baseUrl, client);
    return client;
  }

  /** Drops cached clients (a key changed). */
  forgetClients(): void {
    this.clients.clear();
  }

  /** False while a failing endpoint is backed off: callers then send nothing. */
  canRequest(baseUrl: string): boolean {
    return this.backoff(baseUrl).canRequest(Date.now());
  }

  recordSuccess(baseUrl: string): void {
    const backoff = this.backoff(baseUrl);
    const wasFailing = backoff.consecutiveFailures > 0;
    backoff.recordSuccess();
    if (wasFailing) void this.checkHealth();
  }

  /** A chat answer arrived: clear backoff, keep its latency and garbled-line count. */
  recordChatSuccess(baseUrl: string, stats: { totalMs: number; garbled: number }): void {
    this.recordSuccess(baseUrl);
    this.chatLatency.record(stats.totalMs);
    this.recordGarbled(baseUrl, stats.garbled);
  }

  /** Garbled stream lines are skipped; their count goes to the log and the status bar tooltip. */
  recordGarbled(baseUrl: string, count: number): void {
    if (count <= 0) return;
    this.garbledLines += count;
    this.log.warn(`Skipped ${count} garbled stream line(s) from ${baseUrl} (${this.garbledLines} in total).`);
    this.changed.fire();
  }

  /**
   * A request failed: back off from endpoint failures and show them in the status bar.
   * `backoffRecorded` when the caller's controller already counted it on the same policy.
   */
  recordFailure(baseUrl: string, error: BackendError, model?: string, backoffRecorded = false): void {
    if (!error.isEndpointFailure) {
      if (error.kind === "bad-request") this.log.once(`bad-request:${baseUrl}`, error.message);
      return;
    }
    const backoff = this.backoff(baseUrl);
    const until = backoffRecorded ? Date.now() + backoff.retryInMs(Date.now()) : backoff.recordFailure(Date.now());
    if (error.kind === "model-not-found") this.missingModel = model ?? error.details.model;
    this.setHealth(healthOfFailure(error, baseUrl, model));
    this.log.once(
      `failure:${baseUrl}`,
      `${baseUrl}: ${error.message} — backing off ${Math.round((until - Date.now()) / 1000)} s (failure ${backoff.consecutiveFailures}).`,
    );
    this.scheduleHealthCheck(backoff.retryInMs(Date.now()));
  }

  /** Probes every base URL in use with GET /v1/models and the key (one probe round at a time). */
  checkHealth(): Promise<void> {
    if (this.checking) {
      // Something changed while probing (a new key, new settings): probe again right after.
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

  private async probeAll(): Promise<void> {
    clearTimeout(this.healthTimer);
    const wanted = this.wantedModelsByBaseUrl();
    if (wanted.size === 0) {
      this.setHealth({ kind: "unconfigured", detail: "No model configured: run \"AiCockpit: Load Deployment Outputs\" or set aicockpit.manual.baseUrl." });
      return;
    }
    let worst: Health = { kind: "ok", detail: "" };
    const details: string[] = [];
    let retryMs = HEALTHY_RECHECK_MS;
    for (const [baseUrl, models] of wanted) {
      const probe = await (await this.client(baseUrl)).probe();
      const health = classifyHealth(probe.result, models, baseUrl);
      details.push(health.detail);
      const backoff = this.backoff(baseUrl);
      if (health.kind === "ok") backoff.recordSuccess();
      else if (health.kind === "model-not-found") {
        if (probe.result.ok) this.missingModel = models.find((m) => !(probe.result.ok && probe.result.models.includes(m)));
        // The server is up: requests for a model it has still work; a missing one backs off on its own 404s.
        if (worst.kind === "ok") worst = health;
        this.log.once(`health:${baseUrl}`, health.detail);
      } else {
        backoff.recordFailure(Date.now());
        retryMs = Math.min(retryMs, backoff.retryInMs(Date.now()));
        if (worst.kind === "ok" || worst.kind === "model-not-found") worst = health;
        this.log.once(`health:${baseUrl}`, health.detail);
      }
      if (health.kind === "ok") this.log.reset(`health:${baseUrl}`);
    }
    this.setHealth(worst.kind === "ok" ? { kind: "ok", detail: details.join(" ") } : worst);
    this.scheduleHealthCheck(retryMs);
  }

  /** The model shown in the status bar: the completion model, else the chat model. */
  get primaryModel(): ModelRef | undefined {
    return this.target?.completion ?? this.target?.chat;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.healthTimer);
    this.changed.dispose();
  }

  private setHealth(health: Health): void {
    const changed = health.kind !== this.health.kind || health.detail !== this.health.detail;
    this.health = health;
    if (changed) this.changed.fire();
  }

  /** Latency or garbled-line counts changed: refresh the status bar. */
  notifyStats(): void {
    this.changed.fire();
  }

  private scheduleHealthCheck(ms: number): void {
    clearTimeout(this.healthTimer);
    if (this.disposed) return;
    this.healthTimer = setTimeout(() => void this.checkHealth(), Math.max(1_000, ms));
  }

  private wantedModelsByBaseUrl(): Map<string, string[]> {
    const wanted = new Map<string, string[]>();
    for (const ref of [this.target?.completion, this.target?.chat]) {
      if (!ref) continue;
      const models = wanted.get(ref.baseUrl) ?? [];
      if (!models.includes(ref.model)) models.push(ref.model);
      wanted.set(ref.baseUrl, models);
    }
    return wanted;
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

  private async readCaFile(path: string): Promise<string | undefined> {
    const uri = resolvePath(path);
    if (!uri) return undefined;
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate in it");
      this.log.reset("caFile");
      return text;
    } catch (error) {
      this.log.once("caFile", `aicockpit.caFile: cannot use ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`, "error");
      return undefined;
    }
  }
}

/** The status bar state a failed request implies (same wording as a failed probe). */
function healthOfFailure(error: BackendError, baseUrl: string, model: string | undefined): Health {
  switch (error.kind) {
    case "unauthorized":
      return classifyHealth({ ok: false, status: 401 }, [], baseUrl);
    case "model-not-found":
      return classifyHealth({ ok: true, models: error.details.servedModels ?? [] }, [model ?? error.details.model ?? "?"], baseUrl);
    case "server-error":
      return classifyHealth({ ok: false, status: error.details.status ?? 500, error: error.message }, [], baseUrl);
    default:
      return classifyHealth({ ok: false, error: error.message }, [], baseUrl);
  }
}

/** Any thrown value as a BackendError (the client throws them already; this covers the rest). */
export function asBackendError(error: unknown): BackendError {
  return error instanceof BackendError ? error : new BackendError("server-error", error instanceof Error ? error.message : String(error));
}
