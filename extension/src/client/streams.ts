/**
 * Core + client: a streamed request turned into text. Completions stop early (the accumulator
 * says when) and leaving the loop closes the HTTP request; garbled SSE lines are skipped and
 * counted, not fatal. No vscode import.
 */
import {
  chatChunk,
  completionChunk,
  createAccumulator,
  finishCompletion,
  SseParser,
  ToolCallAccumulator,
  type CompletionPlan,
  type MalformedToolCall,
  type StreamChunk,
  type ToolCall,
} from "../core";
import type { BackendClient, ChatCompletionRequest } from "./backend-client";
import { BackendError } from "./errors";

export interface StreamStats {
  /** Lines the SSE parser skipped. */
  garbled: number;
  /** Milliseconds from sending to the first text. */
  firstTokenMs: number | undefined;
  totalMs: number;
}

export interface CompletionOutcome extends StreamStats {
  /** The suggestion after post-processing; undefined when nothing is worth showing. */
  text: string | undefined;
  /** The accumulator cut the stream before the server finished. */
  stoppedEarly: boolean;
}

export interface EditorStyle {
  insertSpaces?: boolean;
  tabSize?: number;
  eol?: "\n" | "\r\n";
}

/** Runs one inline completion: stream, early stop, post-processing. */
export async function runCompletion(
  client: BackendClient,
  model: string,
  plan: CompletionPlan,
  signal: AbortSignal,
  style: EditorStyle = {},
): Promise<CompletionOutcome> {
  const accumulator = createAccumulator(plan, style.tabSize);
  let stoppedEarly = false;
  const stats = await consume(
    client.streamCompletion(
      { model, prompt: plan.prompt, maxTokens: plan.maxTokens, stop: plan.stop, stopTokenIds: plan.stopTokenIds },
      signal,
    ),
    completionChunk,
    (text, chunk) => {
      stoppedEarly = accumulator.push(text);
      // The choice's finish_reason ends it: no need to wait for `[DONE]` and the end of the body.
      return stoppedEarly || chunk.finishReason !== undefined;
    },
  );
  const raw = stoppedEarly ? accumulator.text : accumulator.finish();
  return { ...stats, text: finishCompletion(plan, raw, style), stoppedEarly };
}

/**
 * Several sampled completions from one request (`n` choices, streamed interleaved), each with
 * its own early stop and post-processing; the distinct non-empty ones, in choice order.
 */
export async function runCompletionChoices(
  client: BackendClient,
  model: string,
  plan: CompletionPlan,
  choice: { n: number; temperature: number },
  signal: AbortSignal,
  style: EditorStyle = {},
): Promise<StreamStats & { texts: string[] }> {
  const accumulators = Array.from({ length: choice.n }, () => createAccumulator(plan, style.tabSize));
  const stopped = new Set<number>();
  const stats = await consume(
    client.streamCompletion(
      {
        model,
        prompt: plan.prompt,
        maxTokens: plan.maxTokens,
        stop: plan.stop,
        stopTokenIds: plan.stopTokenIds,
        n: choice.n,
        temperature: choice.temperature,
      },
      signal,
    ),
    completionChunk,
    (text, chunk) => {
      const index = chunk.index ?? 0;
      const accumulator = accumulators[index];
      if (!accumulator || stopped.has(index)) return false;
      if (accumulator.push(text)) stopped.add(index);
      return stopped.size === accumulators.length;
    },
  );
  const texts = accumulators
    .map((a, i) => finishCompletion(plan, stopped.has(i) ? a.text : a.finish(), style))
    .filter((t): t is string => t !== undefined && t !== "");
  return { ...stats, texts: [...new Set(texts)] };
}

/** A streamed chat answer: its text and the tool calls it made (parsed, and those that were not JSON). */
export interface ChatOutcome extends StreamStats {
  text: string;
  finishReason: string | undefined;
  toolCalls: ToolCall[];
  malformedToolCalls: MalformedToolCall[];
}

/** Streams a chat answer, calling `onText` with each delta; resolves with the whole text and any tool calls. */
export async function runChat(
  client: BackendClient,
  request: ChatCompletionRequest,
  signal: AbortSignal,
  onText: (delta: string) => void = () => undefined,
): Promise<ChatOutcome> {
  let text = "";
  let finishReason: string | undefined;
  const calls = new ToolCallAccumulator();
  const stats = await consume(client.streamChat(request, signal), chatChunk, (delta, chunk) => {
    text += delta;
    finishReason = chunk.finishReason ?? finishReason;
    if (chunk.toolCalls) calls.push(chunk.toolCalls);
    if (delta) onText(delta);
    return false;
  });
  const { calls: toolCalls, malformed } = calls.finish();
  return { ...stats, text, finishReason, toolCalls, malformedToolCalls: malformed };
}

/**
 * Feeds raw SSE text through the tolerant parser. `onText` returns true to stop early; the
 * `break` ends the client's generator, which aborts the HTTP request.
 */
async function consume(
  raw: AsyncIterable<string>,
  toChunk: (value: unknown) => StreamChunk,
  onText: (text: string, chunk: StreamChunk) => boolean,
): Promise<StreamStats> {
  const started = performance.now();
  let firstTokenMs: number | undefined;
  const parser = new SseParser();
  const handle = (events: ReturnType<SseParser["push"]>): "stop" | "done" | undefined => {
    for (const event of events) {
      if (event.type === "done") return "done";
      const chunk = toChunk(event.value);
      if (chunk.error !== undefined) throw new BackendError("server-error", `The server failed mid-answer: ${chunk.error}`);
      if ((chunk.text || chunk.toolCalls) && firstTokenMs === undefined) firstTokenMs = performance.now() - started;
      if (onText(chunk.text, chunk)) return "stop";
    }
    return undefined;
  };
  let ended: "stop" | "done" | undefined;
  for await (const text of raw) {
    ended = handle(parser.push(text));
    if (ended) break;
  }
  if (!ended) handle(parser.end());
  return { garbled: parser.garbled, firstTokenMs, totalMs: performance.now() - started };
}
