/**
 * What a failed request says about its endpoint: whether it is worth backing off from, and the
 * status bar state it implies (worded as a failed probe would be). The client's BackendError
 * has this shape; its kinds are declared here.
 */
import { classifyHealth, type Health } from "./health";

/** Why a request failed. */
export type RequestFailureKind =
  "unreachable" | "unauthorized" | "model-not-found" | "timeout" | "bad-request" | "server-error" | "aborted";

/** A failed request as the health monitor needs it. */
export interface RequestFailure {
  readonly kind: RequestFailureKind;
  /** Already phrased for the user. */
  readonly message: string;
  readonly details: {
    readonly status?: number;
    /** The model the request named (for "model-not-found"). */
    readonly model?: string;
    /** What the server serves instead (for "model-not-found", when it could be listed). */
    readonly servedModels?: readonly string[];
  };
}

/**
 * Failures worth backing off from: the endpoint is down, refusing us, or misconfigured. A
 * cancelled request or one the server rejected as malformed says nothing about the endpoint.
 */
export function isEndpointFailure(kind: RequestFailureKind): boolean {
  return kind !== "aborted" && kind !== "bad-request";
}

/** The status bar state a failed request implies; `model` is the one the request named. */
export function healthOfFailure(failure: RequestFailure, baseUrl: string, model: string | undefined): Health {
  switch (failure.kind) {
    case "unauthorized":
      return classifyHealth({ ok: false, status: 401 }, [], baseUrl);
    case "model-not-found":
      return classifyHealth({ ok: true, models: failure.details.servedModels ?? [] }, [model ?? failure.details.model ?? "?"], baseUrl);
    case "server-error":
      return classifyHealth({ ok: false, status: failure.details.status ?? 500, error: failure.message }, [], baseUrl);
    default:
      return classifyHealth({ ok: false, error: failure.message }, [], baseUrl);
  }
}
