/**
 * Sends one streamed OpenAI-compatible request and times it: time to first token (the first
 * chunk that carries text), the gaps between text chunks, and the whole request. Built on
 * undici's dispatcher API (no stream objects per request), so the generator is not what limits
 * a load test (`npm run bench:loadtest`). Server-sent events are read with the extension's SSE
 * parser. Never throws: every failure is an outcome with its kind.
 */
import { performance } from "node:perf_hooks";
import { Pool, type Dispatcher } from "undici";
import type { ErrorKind, RequestOutcome } from "../../core/ops/load-results";
import type { WorkloadRequest } from "../../core/ops/workload";
import { SseParser } from "../../extension/src/core/sse";

export interface StreamTarget {
  /** The OpenAI base URL, ending in /v1. */
  baseUrl: URL;
  /** Sent as a bearer token; never logged. */
  apiKey: string | undefined;
  pool: Dispatcher;
}

/** Requests in flight that Ctrl-C must stop. */
export class Cancellation {
  cancelled = false;
  private readonly active = new Set<Dispatcher.DispatchController>();

  track(controller: Dispatcher.DispatchController): () => void {
    this.active.add(controller);
    return () => this.active.delete(controller);
  }

  cancel(): void {
    this.cancelled = true;
    for (const controller of this.active) controller.abort(new Error("cancelled"));
    this.active.clear();
  }
}

/** A keep-alive connection pool to the base URL's origin, with at most `connections` connections. */
export function streamPool(baseUrl: URL, connections: number): Pool {
  return new Pool(baseUrl.origin, {
    connections: Number.isFinite(connections) ? connections : null,
    pipelining: 1,
    // Each request has its own timer (sendStreamed); these only stop undici's longer defaults.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
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
    let settled = false;
    let timedOut = false;
    let status = 0;
    let untrack: () => void = () => undefined;
    let controller: Dispatcher.DispatchController | undefined;
    const parser = new SseParser();
    const gaps: number[] = [];
    let first: number | undefined;
    let last = 0;
    let chunks = 0;
    let tokens: number | undefined;
    let done = false;

    const finish = (outcome: RequestOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      resolve(cancellation.cancelled && outcome.ok !== true ? { ok: "cancelled" } : outcome);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      controller?.abort(new Error("timeout"));
      finish({ ok: false, kind: "timeout" });
    }, timeoutMs);
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

    const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream" };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        untrack = cancellation.track(c);
      },
      onResponseStart(_c, statusCode) {
        status = statusCode;
      },
      onResponseData(_c, chunk) {
        if (status === 200) take(parser.pushBytes(chunk));
      },
      onResponseEnd() {
        if (status !== 200) return finish({ ok: false, kind: `http_${status}` });
        take(parser.end());
        const end = performance.now();
        if (!done) return finish({ ok: false, kind: "incomplete_stream" });
        if (parser.garbled > 0) return finish({ ok: false, kind: "malformed_stream" });
        finish({
          ok: true,
          // An answer with no text at all (zero tokens) has its "first token" at its end.
          ttftMs: (first ?? end) - startedAt,
          interTokenMs: gaps,
          e2eMs: end - startedAt,
          outputTokens: tokens ?? chunks,
        });
      },
      onResponseError(_c, error) {
        // Before an answer: the connection failed; once streaming: the answer was cut short.
        const kind: ErrorKind = timedOut
          ? "timeout"
          : status === 0
            ? "connection"
            : status === 200
              ? "incomplete_stream"
              : `http_${status}`;
        void error;
        finish({ ok: false, kind });
      },
    };
    try {
      target.pool.dispatch(
        {
          origin: target.baseUrl.origin,
          method: "POST",
          path: `${target.baseUrl.pathname.replace(/\/+$/, "")}${request.path.slice("/v1".length)}`,
          headers,
          body: request.body,
        },
        handler,
      );
    } catch {
      finish({ ok: false, kind: "connection" });
    }
  });
}
