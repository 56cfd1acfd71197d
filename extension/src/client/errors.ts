/**
 * Typed backend failures. The status bar, the backoff policy and the chat error messages
 * branch on `kind`; the message is already phrased for the user.
 */
import OpenAI from "openai";
import type { RequestFailureKind } from "../core";

/** The kinds are the core's: the health monitor branches on them. */
export type BackendErrorKind = RequestFailureKind;

export interface BackendErrorDetails {
  status?: number;
  /** The model the request named (for "model-not-found"). */
  model?: string;
  /** What the server serves instead (for "model-not-found", when it could be listed). */
  servedModels?: string[];
}

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly details: BackendErrorDetails = {},
  ) {
    super(message);
    this.name = "BackendError";
  }
}

export function modelNotFound(model: string, servedModels: string[] | undefined): BackendError {
  const served = servedModels && servedModels.length > 0 ? ` The server serves: ${servedModels.join(", ")}.` : "";
  return new BackendError("model-not-found", `Model "${model}" not found on the server.${served}`, {
    status: 404,
    model,
    servedModels,
  });
}

/**
 * Maps whatever a request threw (SDK errors, fetch errors, aborts) to a BackendError.
 * `timedOut` says that our own timer caused the abort, `cancelled` that the caller did.
 */
export function toBackendError(error: unknown, context: { model?: string; timedOut?: boolean; cancelled?: boolean } = {}): BackendError {
  if (error instanceof BackendError) return error;
  if (context.timedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
    return new BackendError("timeout", "The server did not answer in time.");
  }
  if (context.cancelled || error instanceof OpenAI.APIUserAbortError || isAbortError(error)) {
    return new BackendError("aborted", "Request cancelled.");
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new BackendError("unreachable", `Server unreachable: ${causeMessage(error)}`);
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = Number(error.status);
    if (status === 401 || status === 403) {
      return new BackendError("unauthorized", 'The server rejected the API key (401). Run "AiCockpit: Set API Key".', { status });
    }
    if (status === 404 && context.model !== undefined) return modelNotFound(context.model, undefined);
    if (status === 400 || status === 422)
      return new BackendError("bad-request", `Request rejected: ${serverMessage(error, status)}`, { status });
    return new BackendError("server-error", `Server error ${status}: ${serverMessage(error, status)}`, { status });
  }
  // Errors while reading a response body (connection reset mid-stream) arrive as plain errors.
  return new BackendError("unreachable", `Connection failed: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * The server's own message: the SDK prefixes the status (`${status} ${msg}`, APIError.makeMessage
 * in openai 6.30.1 core/error.js), which our message already states.
 */
function serverMessage(error: Error, status: number): string {
  return error.message.startsWith(`${status} `) ? error.message.slice(`${status} `.length) : error.message;
}

/** By name: an abort can surface as a DOMException from another realm, not an Error instance. */
function isAbortError(error: unknown): boolean {
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === "AbortError" || name === "TimeoutError";
}

function causeMessage(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? ((cause as { cause?: unknown }).cause ?? cause) : undefined;
  return inner instanceof Error ? inner.message : error.message;
}
