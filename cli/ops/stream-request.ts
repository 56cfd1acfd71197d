/**
 * Sends one streamed OpenAI-compatible request and times it: time to first token (the first
 * chunk that carries text), the gaps between text chunks, and the whole request. Uses the
 * extension's SSE parser (one parser for the stream format). Never throws: every failure is an
 * outcome with its kind.
 */
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import type { ErrorKind, RequestOutcome } from "../../core/ops/load-results";
import type { WorkloadRequest } from "../../core/ops/workload";
import { SseParser } from "../../extension/src/core/sse";

export interface StreamTarget {
  /** The OpenAI base URL, ending in /v1. */
  baseUrl: URL;
  /** Sent as a bearer token; never logged. */
  apiKey: string | undefined;
  agent: http.Agent;
}

/** Requests in flight that Ctrl-C must stop. */
export class Cancellation {
  cancelled = false;
  private readonly active = new Set<http.ClientRequest>();

  track(request: http.ClientRequest): () => void {
    this.active.add(request);
    return () => this.active.delete(request);
  }

  cancel(): void {
    this.cancelled = true;
    for (const request of this.active) request.destroy();
    this.active.clear();
  }
}

/** A keep-alive agent for the base URL's scheme, with at most `maxSockets` connections. */
export function streamAgent(baseUrl: URL, maxSockets: number): http.Agent {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "fifo" as const };
  return baseUrl.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
}

function textOf(event: unknown): string {
  const choice = (event as { choices?: { text?: unknown; delta?: { content?: unknown } }[] }).choices?.[0];
  const text = choice?.text ?? choice?.delta?.content;
  return typeof text === "string" ? text : "";
}

function usageTokens(event: unknown): number | undefined {
  const tokens = (event as { usage?: { completion_tokens?: unknown } | null }).usage?.completion_tokens;
  return typeof tokens === "number" ? tokens : undefined;
}

/** Before any answer: the request timed out, or the connection failed (refused, reset, DNS). */
function transportKind(timedOut: boolean): ErrorKind {
  return timedOut ? "timeout" : "connection";
}

/**
 * Sends `request` and resolves with its outcome. `startedAt` (performance.now() time) is when the
 * request was due: open-loop tests pass the scheduled arrival, so waiting in the client counts.
 */
export function sendStreamed(
  target: StreamTarget,
  request: WorkloadRequest,
  startedAt: number,
  timeoutMs: number,
  cancellation: Cancellation,
): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    if (cancellation.cancelled) return resolve({ ok: "cancelled" });
    const base = target.baseUrl;
    const transport = base.protocol === "https:" ? https : http;
    let settled = false;
    let timedOut = false;
    const finish = (outcome: RequestOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      resolve(cancellation.cancelled && outcome.ok !== true ? { ok: "cancelled" } : outcome);
    };
    const headers: http.OutgoingHttpHeaders = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(request.body),
      accept: "text/event-stream",
    };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const req = transport.request({
      method: "POST",
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      path: `${base.pathname.replace(/\/+$/, "")}${request.path.slice("/v1".length)}`,
      headers,
      agent: target.agent,
    });
    const untrack = cancellation.track(req);
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, timeoutMs);
    req.on("error", () => finish({ ok: false, kind: transportKind(timedOut) }));
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on("end", () => finish({ ok: false, kind: `http_${res.statusCode ?? 0}` }));
        res.on("error", () => finish({ ok: false, kind: `http_${res.statusCode ?? 0}` }));
        return;
      }
      const parser = new SseParser();
      const gaps: number[] = [];
      let first: number | undefined;
      let last = 0;
      let chunks = 0;
      let tokens: number | undefined;
      let done = false;
      const take = (events: ReturnType<SseParser["push"]>) => {
        for (const event of events) {
          if (event.type === "done") {
            done = true;
            continue;
          }
          tokens = usageTokens(event.value) ?? tokens;
          if (textOf(event.value) === "") continue;
          const now = performance.now();
          if (first === undefined) first = now;
          else gaps.push(now - last);
          last = now;
          chunks += 1;
        }
      };
      res.on("data", (chunk: Buffer) => take(parser.pushBytes(chunk)));
      // The stream had started: a reset now is an answer cut short.
      const cut = () => finish({ ok: false, kind: timedOut ? "timeout" : "incomplete_stream" });
      res.on("error", cut);
      res.on("close", cut);
      res.on("end", () => {
        take(parser.end());
        const end = performance.now();
        if (!done) return finish({ ok: false, kind: timedOut ? "timeout" : "incomplete_stream" });
        if (parser.garbled > 0) return finish({ ok: false, kind: "malformed_stream" });
        finish({
          ok: true,
          // An answer with no text at all (zero tokens) is first "token" at its end.
          ttftMs: (first ?? end) - startedAt,
          interTokenMs: gaps,
          e2eMs: end - startedAt,
          outputTokens: tokens ?? chunks,
        });
      });
    });
    req.end(request.body);
  });
}
