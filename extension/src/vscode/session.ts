/**
 * What the extension is connected to, and how that is going: settings, the loaded deployment,
 * the resolved models, one backend client per base URL and local latency figures. Health and
 * backoff are the core's HealthMonitor; the session feeds it probes and the log. Every feature
 * asks the session for a client and reports back success or failure.
 */
import * as vscode from "vscode";
import { BackendClient, TokenizeUnavailableError } from "../client/backend-client";
import { BackendError } from "../client/errors";
import {
  type BackoffPolicy,
  type FimCheck,
  FimVerdicts,
  HealthMonitor,
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

export class Session implements vscode.Disposable {
  settings: AiCockpitSettings;
  deployment: Deployment | undefined;
  target: ModelTarget | undefined;
  readonly completionLatency = new LatencyStats();
  readonly chatLatency = new LatencyStats();
  garbledLines = 0;
  /** Bumped on every reload: per-model state (caches, controllers) built before is stale. */
  epoch = 0;

  private caPem: string | undefined;
  private readonly clients = new Map<string, BackendClient>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly monitor: HealthMonitor;
  /** FIM marker verdicts per endpoint, model and family (kept until the outputs are loaded again). */
  readonly fim = new FimVerdicts((error) => error instanceof TokenizeUnavailableError);
  /** Split-marker warnings already shown, so each is shown once. */
  private readonly fimWarned = new Set<string>();

  constructor(
    private readonly log: Log,
    private readonly keys: ApiKeys,
  ) {
    this.settings = readSettings().settings;
    this.monitor = new HealthMonitor({
      probe: async (baseUrl) => (await (await this.client(baseUrl)).probe()).result,
      log,
      onChange: () => this.changed.fire(),
    });
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
    this.monitor.reset(this.target);
    this.epoch++;
    this.changed.fire();
    await this.checkHealth();
    void this.verifyFim();
  }

  /**
   * Asks the server's tokenizer whether the completion model's FIM markers are single tokens
   * (once per endpoint, model and family; `force` asks again). A split marker is logged, shown
   * once as a warning and in the status bar; the ids of the markers become `stop_token_ids`.
   */
  async verifyFim(force = false): Promise<FimCheck | undefined> {
    const completion = this.target?.completion;
    if (!completion) return undefined;
    const client = await this.client(completion.baseUrl);
    const check = await this.fim.check(completion, (text) => client.tokenize(completion.model, text), force);
    if (!check) {
      this.log.once(
        `fim:${completion.baseUrl}`,
        `Could not check the FIM markers of ${completion.model} (server unreachable?); will ask again on the next connect.`,
        "info",
      );
      return undefined;
    }
    if (check.kind === "unavailable") {
      this.log.once(
        `fim:${completion.baseUrl}`,
        `${completion.baseUrl} has no tokenize endpoint: the FIM markers of ${completion.model} cannot be verified (${check.reason}).`,
        "info",
      );
    } else if (check.verdict.ok) {
      this.log.once(
        `fim:${completion.baseUrl}`,
        `${completion.model}: ${check.verdict.message} Stop token ids: ${check.verdict.stopTokenIds.join(", ")}.`,
        "info",
      );
    } else {
      const warning = `${completion.model}: ${check.verdict.message}`;
      this.log.once(`fim:${completion.baseUrl}`, warning, "warn");
      const key = `${completion.baseUrl}|${completion.model}|${completion.fimFamily}`;
      if (!this.fimWarned.has(key)) {
        this.fimWarned.add(key);
        void vscode.window.showWarningMessage(`AiCockpit: ${warning}`);
      }
    }
    this.changed.fire();
    return check;
  }

  /** The split-marker message of the completion model in use, if its markers split. */
  get fimProblem(): string | undefined {
    const completion = this.target?.completion;
    const check = completion ? this.fim.get(completion) : undefined;
    return check?.kind === "verified" && !check.verdict.ok ? check.verdict.message : undefined;
  }

  /** Forgets FIM verdicts and shown warnings: the next connect asks the server again. */
  forgetFimVerdicts(): void {
    this.fim.clear();
    this.fimWarned.clear();
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

  /** What the status bar shows. */
  get health(): Health {
    return this.monitor.health;
  }

  /** With health "model-not-found": the configured name the server does not serve. */
  get missingModel(): string | undefined {
    return this.monitor.missingModel;
  }

  /** False while a failing endpoint is backed off: callers then send nothing. */
  canRequest(baseUrl: string): boolean {
    return this.monitor.canRequest(baseUrl);
  }

  /** The backoff of a base URL, shared by health probes and every feature's requests. */
  backoff(baseUrl: string): BackoffPolicy {
    return this.monitor.backoff(baseUrl);
  }

  recordSuccess(baseUrl: string): void {
    this.monitor.recordSuccess(baseUrl);
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
    this.monitor.recordFailure(baseUrl, error, model, backoffRecorded);
  }

  /** Probes every base URL in use with GET /v1/models and the key (one probe round at a time). */
  checkHealth(): Promise<void> {
    return this.monitor.check();
  }

  /** The model shown in the status bar: the completion model, else the chat model. */
  get primaryModel(): ModelRef | undefined {
    return this.target?.completion ?? this.target?.chat;
  }

  dispose(): void {
    this.monitor.dispose();
    this.changed.dispose();
  }

  /** Latency or garbled-line counts changed: refresh the status bar. */
  notifyStats(): void {
    this.changed.fire();
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
      this.log.once(
        "caFile",
        `aicockpit.caFile: cannot use ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
        "error",
      );
      return undefined;
    }
  }
}

/** Any thrown value as a BackendError (the client throws them already; this covers the rest). */
export function asBackendError(error: unknown): BackendError {
  return error instanceof BackendError ? error : new BackendError("server-error", error instanceof Error ? error.message : String(error));
}
