import { chatChunk, completionChunk, SseParser, type SseEvent } from "../../src/core";

const chunk = (text: string) =>
  `data: ${JSON.stringify({ id: "c", object: "text_completion", choices: [{ index: 0, text, finish_reason: null }] })}\n\n`;

function texts(events: SseEvent[]): string[] {
  return events.flatMap((e) => (e.type === "json" ? [completionChunk(e.value).text] : ["[DONE]"]));
}

describe("SseParser", () => {
  test("parses data lines, the [DONE] marker, and ignores comments and other fields", () => {
    const parser = new SseParser();
    const stream = `: keep-alive\nevent: message\nid: 1\n${chunk("Hel")}${chunk("lo")}data: [DONE]\n\n`;
    expect(texts(parser.push(stream))).toEqual(["Hel", "lo", "[DONE]"]);
    expect(parser.garbled).toBe(0);
  });

  test("handles events split at every possible position, CRLF included", () => {
    const stream = (chunk("a") + chunk("ü€") + "data: [DONE]\n\n").replace(/\n/g, "\r\n");
    for (let cut = 1; cut < stream.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut)), ...parser.end()];
      expect(texts(events)).toEqual(["a", "ü€", "[DONE]"]);
      expect(parser.garbled).toBe(0);
    }
  });

  test("bytes split inside a multi-byte character decode correctly", () => {
    const bytes = new TextEncoder().encode(chunk("日本"));
    const parser = new SseParser();
    const events = [...parser.pushBytes(bytes.slice(0, 30)), ...parser.pushBytes(bytes.slice(30)), ...parser.end()];
    expect(texts(events)).toEqual(["日本"]);
  });

  test("garbled lines are skipped and counted, the stream goes on", () => {
    const seen: string[] = [];
    const parser = new SseParser((line) => seen.push(line));
    const stream = `${chunk("a")}data: {"choices": [ broken\n\nHTTP/1.1 200 OK junk\n${chunk("b")}data: not json at all\n\n${chunk("c")}`;
    expect(texts(parser.push(stream))).toEqual(["a", "b", "c"]);
    expect(parser.garbled).toBe(3);
    expect(seen).toEqual(['data: {"choices": [ broken', "HTTP/1.1 200 OK junk", "data: not json at all"]);
  });

  test("data lines without blank-line separators still yield one event each", () => {
    const parser = new SseParser();
    const stream = chunk("x").trimEnd() + "\n" + chunk("y").trimEnd() + "\n";
    expect(texts(parser.push(stream))).toEqual(["x", "y"]);
  });

  test("a JSON payload spread over several data lines is joined", () => {
    const parser = new SseParser();
    expect(texts(parser.push('data: {"choices":[{"text":\ndata: "multi"}]}\n\n'))).toEqual(["multi"]);
    expect(parser.garbled).toBe(0);
  });

  test("end() flushes a last event without trailing newline", () => {
    const parser = new SseParser();
    expect(parser.push(chunk("z").trimEnd())).toEqual([]);
    expect(texts(parser.end())).toEqual(["z"]);
  });
});

describe("chunk extractors", () => {
  test("completion chunk text and finish reason", () => {
    expect(completionChunk({ choices: [{ text: "ab", finish_reason: "stop" }] })).toEqual({
      text: "ab",
      index: 0,
      finishReason: "stop",
      error: undefined,
    });
    expect(completionChunk({ nothing: true }).text).toBe("");
  });
  test("chat chunk delta content", () => {
    expect(chatChunk({ choices: [{ delta: { role: "assistant" } }] }).text).toBe("");
    expect(chatChunk({ choices: [{ delta: { content: "hi" }, finish_reason: null }] }).text).toBe("hi");
  });
  test("errors sent inside the stream are surfaced", () => {
    expect(completionChunk({ error: { message: "boom", code: 500 } }).error).toBe("boom");
    expect(chatChunk({ error: "plain" }).error).toBe("plain");
  });
});
