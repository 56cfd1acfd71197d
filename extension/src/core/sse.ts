/**
 * Tolerant parser for OpenAI-style server-sent events: `data: {json}` lines, `data: [DONE]`,
 * `:` comments, events split anywhere across network reads. Lines that are not valid SSE or
 * whose data is not JSON are skipped and counted, never thrown.
 */
import { toolCallDeltas, type ToolCallDelta } from "./tool-calls";

/** A parsed event: a JSON payload or the end marker. */
export type SseEvent = { type: "json"; value: unknown } | { type: "done" };

/** Parses a stream incrementally; feed it text (or bytes) as it arrives. */
export class SseParser {
  /** Lines skipped because they were not SSE or not JSON. */
  garbled = 0;
  private partial = "";
  private pendingData: string[] = [];
  private decoder: InstanceType<typeof TextDecoder> | undefined;

  /** @param onGarbled called with each skipped line (e.g. to log a sample). */
  constructor(private readonly onGarbled?: (line: string) => void) {}

  /** Feeds raw bytes (decoded as UTF-8, multi-byte characters may straddle reads). */
  pushBytes(bytes: Uint8Array): SseEvent[] {
    this.decoder ??= new TextDecoder("utf-8");
    return this.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feeds a chunk of text; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    const text = this.partial + chunk;
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(text.slice(start, end), events);
      start = nl + 1;
    }
    this.partial = text.slice(start);
    return events;
  }

  /** The stream ended: flushes an unterminated last line and pending data. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.partial) this.line(this.partial.replace(/\r$/, ""), events);
    this.partial = "";
    this.flush(events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      this.flush(events);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return;
    if (line.startsWith("data:")) {
      const data = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      // OpenAI sends one JSON object per data line; emit it at once so a missing blank line
      // between events cannot merge two payloads.
      if (this.pendingData.length === 0) {
        const event = parseData(data);
        if (event) {
          events.push(event);
          return;
        }
      }
      this.pendingData.push(data);
      return;
    }
    if (/^(event|id|retry)(:|$)/.test(line)) return;
    this.skip(line);
  }

  private flush(events: SseEvent[]): void {
    if (this.pendingData.length === 0) return;
    const data = this.pendingData.join("\n");
    this.pendingData = [];
    const event = parseData(data);
    if (event) events.push(event);
    else this.skip(`data: ${data}`);
  }

  private skip(line: string): void {
    this.garbled++;
    this.onGarbled?.(line);
  }
}

function parseData(data: string): SseEvent | undefined {
  const trimmed = data.trim();
  if (trimmed === "[DONE]") return { type: "done" };
  if (trimmed === "" || (trimmed[0] !== "{" && trimmed[0] !== "[")) return undefined;
  try {
    return { type: "json", value: JSON.parse(trimmed) };
  } catch {
    return undefined;
  }
}

/** What one streamed chunk carries. */
export interface StreamChunk {
  text: string;
  /** The choice it belongs to (`n` > 1 streams the choices interleaved). */
  index?: number;
  /** Tool-call deltas of a chat chunk. */
  toolCalls?: ToolCallDelta[];
  finishReason?: string;
  /** Server-side error sent inside the stream (vLLM does this on failures mid-stream). */
  error?: string;
}

function firstChoice(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const choices = (value as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || typeof choices[0] !== "object" || choices[0] === null) return undefined;
  return choices[0] as Record<string, unknown>;
}

function streamError(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
  const error = value.error;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : JSON.stringify(error);
}

function finishReasonOf(choice: Record<string, unknown> | undefined): string | undefined {
  return typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined;
}

/** Text of a `/v1/completions` stream chunk (`choices[0].text`) and its choice index. */
export function completionChunk(value: unknown): StreamChunk {
  const choice = firstChoice(value);
  return {
    text: typeof choice?.text === "string" ? choice.text : "",
    index: typeof choice?.index === "number" ? choice.index : 0,
    finishReason: finishReasonOf(choice),
    error: streamError(value),
  };
}

/** Text (`choices[0].delta.content`) and tool-call deltas of a `/v1/chat/completions` stream chunk. */
export function chatChunk(value: unknown): StreamChunk {
  const choice = firstChoice(value);
  const delta = choice?.delta as { content?: unknown } | undefined;
  const toolCalls = toolCallDeltas(value);
  return {
    text: typeof delta?.content === "string" ? delta.content : "",
    finishReason: finishReasonOf(choice),
    error: streamError(value),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}
