/**
 * The OpenAI-compatible backend (vLLM) as the extension uses it: model listing and health,
 * streamed completions and chat. Streams are handed over as raw decoded SSE text so the
 * core's tolerant parser can skip (and count) garbled lines instead of failing the whole
 * answer, as the SDK's own stream parser would. No vscode import: tested under plain Node.
 */
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { tokenizeRequest, tokenizeResponseSchema, VLLM_TOKENIZE_PATH } from "../../../core/contract/fim";
import type { ChatMessage, OpenAiTool, OpenAiToolChoice, ProbeResult } from "../core";
import { createCaFetch } from "./ca-fetch";
import { Deadline } from "./deadline";
import { BackendError, modelNotFound, toBackendError } from "./errors";

export interface BackendConfig {
  /** OpenAI-compatible base URL, ending in /v1. */
  baseUrl: string;
  apiKey?: string;
  /** Time allowed until the first byte and between stream chunks. */
  timeoutMs: number;
  /** PEM text of an extra CA to trust (self-signed TLS). */
  caPem?: string;
}

export interface ServedModel {
  id: string;
  maxModelLen?: number;
}

/** A `/v1/models` probe: the core's ProbeResult plus what was listed and how long it took. */
export interface Probe {
  result: ProbeResult;
  models: ServedModel[];
  latencyMs: number;
}

export interface CompletionRequest {
  model: string;
  prompt: string;
  maxTokens: number;
  stop: readonly string[];
  /** vLLM's `stop_token_ids` (sent when not empty). */
  stopTokenIds?: readonly number[];
  temperature?: number;
  /** Choices to sample in this one request (vLLM needs temperature > 0 for n > 1). */
  n?: number;
}

export interface ChatCompletionRequest {
  model: string;
  messages: readonly ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Tools in OpenAI form, with the tool choice. */
  tools?: { tools: readonly OpenAiTool[]; toolChoice: OpenAiToolChoice };
}

/** The server has no tokenize endpoint at either path (not vLLM, or a gateway without the route). */
export class TokenizeUnavailableError extends Error {
  constructor(readonly status: number) {
    super(`The server has no tokenize endpoint (HTTP ${status}).`);
    this.name = "TokenizeUnavailableError";
  }
}

/** SDK headers that describe the client machine; the server does not need them. */
const PLATFORM_HEADERS = [
  "X-Stainless-Lang",
  "X-Stainless-Package-Version",
  "X-Stainless-OS",
  "X-Stainless-Arch",
  "X-Stainless-Runtime",
  "X-Stainless-Runtime-Version",
  "X-Stainless-Retry-Count",
  "X-Stainless-Timeout",
];

export class BackendClient {
  private readonly openai: OpenAI;
  /** The tokenize URL that answered last time. */
  private tokenizeUrl: string | undefined;

  constructor(readonly config: BackendConfig) {
    const defaultHeaders: Record<string, null> = {};
    for (const name of PLATFORM_HEADERS) defaultHeaders[name] = null;
    // No key: send no Authorization header at all rather than "Bearer ".
    if (!config.apiKey) defaultHeaders.Authorization = null;
    this.openai = new OpenAI({
      baseURL: config.baseUrl.replace(/\/+$/, ""),
      apiKey: config.apiKey ?? "",
      // Our Deadline fires first; the SDK timer is only a backstop.
      timeout: config.timeoutMs + 1_000,
      maxRetries: 0,
      defaultHeaders,
      fetch: config.caPem ? createCaFetch(config.caPem) : undefined,
    });
  }

  /** GET /v1/models. */
  async listModels(signal?: AbortSignal): Promise<ServedModel[]> {
    const deadline = new Deadline(this.config.timeoutMs, signal);
    try {
      const page = await this.openai.models.list({ signal: deadline.signal, maxRetries: 0 });
      return page.data.map((m) => {
        const maxModelLen = (m as unknown as { max_model_len?: unknown }).max_model_len;
        return { id: m.id, maxModelLen: typeof maxModelLen === "number" ? maxModelLen : undefined };
      });
    } catch (error) {
      throw toBackendError(error, { timedOut: deadline.timedOut, cancelled: deadline.cancelled });
    } finally {
      deadline.dispose();
    }
  }

  /** Probes GET /v1/models for the health check; never throws except when aborted. */
  async probe(signal?: AbortSignal): Promise<Probe> {
    const started = performance.now();
    try {
      const models = await this.listModels(signal);
      return { result: { ok: true, models: models.map((m) => m.id) }, models, latencyMs: performance.now() - started };
    } catch (error) {
      const failure = toBackendError(error);
      if (failure.kind === "aborted") throw failure;
      return {
        result: { ok: false, status: failure.details.status, error: failure.message },
        models: [],
        latencyMs: performance.now() - started,
      };
    }
  }

  /**
   * Token ids of `text` alone (no BOS) from vLLM's tokenize endpoint: `<base URL>/tokenize`
   * (the kit's gateway serves it as `/v1/tokenize`, behind the key), else the server root's
   * `/tokenize` (vLLM itself, e.g. a manual setup without the gateway). The path that answered
   * is remembered. Throws TokenizeUnavailableError when neither exists.
   */
  async tokenize(model: string, text: string, signal?: AbortSignal): Promise<number[]> {
    const root = this.config.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
    const candidates = this.tokenizeUrl
      ? [this.tokenizeUrl]
      : [`${this.config.baseUrl.replace(/\/+$/, "")}/tokenize`, `${root}${VLLM_TOKENIZE_PATH}`];
    let lastStatus = 404;
    for (const url of candidates) {
      const deadline = new Deadline(this.config.timeoutMs, signal);
      try {
        const body = await this.openai.post<unknown>(url, { body: tokenizeRequest(model, text), signal: deadline.signal, maxRetries: 0 });
        this.tokenizeUrl = url;
        return tokenizeResponseSchema.parse(body).tokens;
      } catch (error) {
        const status: unknown = error instanceof OpenAI.APIError ? (error.status as unknown) : undefined;
        // 404: no such route here; 405: a gateway that knows the path but not the method.
        if (status === 404 || status === 405) {
          lastStatus = status;
          continue;
        }
        throw toBackendError(error, { timedOut: deadline.timedOut, cancelled: deadline.cancelled });
      } finally {
        deadline.dispose();
      }
    }
    throw new TokenizeUnavailableError(lastStatus);
  }

  /** POST /v1/completions with stream: true; yields raw SSE text as it arrives. */
  streamCompletion(request: CompletionRequest, signal?: AbortSignal): AsyncGenerator<string> {
    // vLLM's extra sampling parameter (SamplingParams.stop_token_ids): not in the SDK's types.
    const extra = request.stopTokenIds && request.stopTokenIds.length > 0 ? { stop_token_ids: [...request.stopTokenIds] } : {};
    return this.streamRaw(request.model, signal, (options) =>
      this.openai.completions
        .create(
          {
            model: request.model,
            prompt: request.prompt,
            max_tokens: request.maxTokens,
            stop: [...request.stop],
            temperature: request.temperature ?? 0,
            ...(request.n && request.n > 1 ? { n: request.n } : {}),
            stream: true,
            ...extra,
          },
          options,
        )
        .asResponse(),
    );
  }

  /** POST /v1/chat/completions with stream: true; yields raw SSE text as it arrives. */
  streamChat(request: ChatCompletionRequest, signal?: AbortSignal): AsyncGenerator<string> {
    const tools =
      request.tools && request.tools.tools.length > 0 ? { tools: [...request.tools.tools], tool_choice: request.tools.toolChoice } : {};
    return this.streamRaw(request.model, signal, (options) =>
      this.openai.chat.completions
        .create(
          {
            model: request.model,
            messages: request.messages.map(toOpenAiMessage),
            max_tokens: request.maxTokens,
            temperature: request.temperature ?? 0.2,
            stream: true,
            ...tools,
          },
          options,
        )
        .asResponse(),
    );
  }

  /**
   * Sends a request and yields its body as text. The timer restarts with every chunk, so a
   * long answer that keeps flowing is fine while a stalled one fails. Leaving the loop early
   * (early stop, cancellation) aborts the HTTP request so the server stops generating.
   */
  private async *streamRaw(
    model: string,
    outer: AbortSignal | undefined,
    send: (options: { signal: AbortSignal; maxRetries: 0 }) => Promise<Response>,
  ): AsyncGenerator<string> {
    const deadline = new Deadline(this.config.timeoutMs, outer);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const response = await send({ signal: deadline.signal, maxRetries: 0 });
      if (!response.body) throw new BackendError("server-error", "The server sent an empty response.");
      reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        deadline.touch();
        const text = decoder.decode(value, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch (error) {
      const failure = toBackendError(error, { model, timedOut: deadline.timedOut, cancelled: deadline.cancelled });
      if (failure.kind === "model-not-found") throw await this.withServedModels(failure, model);
      throw failure;
    } finally {
      deadline.dispose();
      reader?.cancel().catch(() => undefined);
    }
  }

  /** A 404 on a generation means the model name is wrong: say which names the server has. */
  private async withServedModels(failure: BackendError, model: string): Promise<BackendError> {
    try {
      const models = await this.listModels();
      return modelNotFound(
        model,
        models.map((m) => m.id),
      );
    } catch {
      return failure;
    }
  }
}

/** A core chat message in the OpenAI SDK's shape. */
function toOpenAiMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === "tool") return { role: "tool", tool_call_id: m.toolCallId ?? "", content: m.content };
  if (m.role === "assistant" && m.toolCalls && m.toolCalls.length > 0) {
    return {
      role: "assistant",
      content: m.content === "" ? null : m.content,
      tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })),
    };
  }
  return { role: m.role, content: m.content };
}
