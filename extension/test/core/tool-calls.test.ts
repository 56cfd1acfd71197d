import {
  describeMalformedCall,
  parseToolArguments,
  toChatMessages,
  ToolCallAccumulator,
  toolCallDeltas,
  toOpenAiTools,
  type LmMessage,
} from "../../src/core";

describe("tools in OpenAI form", () => {
  const read = { name: "read", description: "Read a file", inputSchema: { type: "object", properties: { path: { type: "string" } } } };
  test("definitions become functions; a tool without a schema takes an empty object", () => {
    const { tools, toolChoice } = toOpenAiTools([read, { name: "now", description: "The time" }], "auto");
    expect(tools).toEqual([
      { type: "function", function: { name: "read", description: "Read a file", parameters: read.inputSchema } },
      { type: "function", function: { name: "now", description: "The time", parameters: { type: "object", properties: {} } } },
    ]);
    expect(toolChoice).toBe("auto");
  });
  test("required mode: one tool is named, several are `required`", () => {
    expect(toOpenAiTools([read], "required").toolChoice).toEqual({ type: "function", function: { name: "read" } });
    expect(toOpenAiTools([read, { name: "b", description: "" }], "required").toolChoice).toBe("required");
  });
});

describe("streamed tool calls", () => {
  const chunk = (calls: unknown[]) => ({ choices: [{ index: 0, delta: { tool_calls: calls } }] });
  test("deltas are assembled per index: id and name first, arguments in pieces", () => {
    const acc = new ToolCallAccumulator();
    acc.push(toolCallDeltas(chunk([{ index: 0, id: "c1", type: "function", function: { name: "read", arguments: "" } }])));
    acc.push(toolCallDeltas(chunk([{ index: 1, id: "c2", type: "function", function: { name: "search", arguments: '{"query"' } }])));
    acc.push(toolCallDeltas(chunk([{ index: 0, function: { arguments: '{"path": ' } }])));
    acc.push(toolCallDeltas(chunk([{ index: 0, function: { arguments: '"a.ts"}' } }])));
    acc.push(toolCallDeltas(chunk([{ index: 1, function: { arguments: ': "x"}' } }])));
    expect(acc.finish()).toEqual({
      calls: [
        { id: "c1", name: "read", input: { path: "a.ts" }, rawArguments: '{"path": "a.ts"}' },
        { id: "c2", name: "search", input: { query: "x" }, rawArguments: '{"query": "x"}' },
      ],
      malformed: [],
    });
  });
  test("malformed arguments are reported with the raw text, not thrown", () => {
    const acc = new ToolCallAccumulator();
    acc.push([{ index: 0, id: "c1", name: "read", arguments: '{"path": "a.ts"' }]);
    acc.push([{ index: 1, id: "c2", name: "read", arguments: "[1, 2]" }]);
    acc.push([{ index: 2, id: "c3", arguments: "{}" }]);
    const { calls, malformed } = acc.finish();
    expect(calls).toEqual([]);
    expect(malformed.map((m) => [m.id, m.problem.split(" (")[0]])).toEqual([
      ["c1", "the arguments are not valid JSON"],
      ["c2", "the arguments are not a JSON object"],
      ["c3", "the call names no tool"],
    ]);
    expect(describeMalformedCall(malformed[0])).toBe(
      "The model tried to call `read`, but " + malformed[0].problem + ': `{"path": "a.ts"`. The call was not made.',
    );
  });
  test("arguments in a code fence, or empty, still parse", () => {
    expect(parseToolArguments('```json\n{"a": 1}\n```')).toEqual({ ok: true, input: { a: 1 } });
    expect(parseToolArguments("  ")).toEqual({ ok: true, input: {} });
  });
  test("chunks without tool calls give no deltas", () => {
    expect(toolCallDeltas({ choices: [{ delta: { content: "x" } }] })).toEqual([]);
    expect(toolCallDeltas(null)).toEqual([]);
  });
});

describe("VS Code language-model messages as OpenAI messages", () => {
  test("a full tool round trip: user, assistant call, tool result, then the user's next words", () => {
    const messages: LmMessage[] = [
      { role: "user", parts: [{ kind: "text", value: "what is in a.ts?" }] },
      {
        role: "assistant",
        parts: [
          { kind: "text", value: "Let me look." },
          { kind: "toolCall", callId: "c1", name: "read", input: { path: "a.ts" } },
        ],
      },
      { role: "user", parts: [{ kind: "toolResult", callId: "c1", text: "export const a = 1;" }] },
      {
        role: "user",
        parts: [
          { kind: "toolResult", callId: "c2", text: "r2" },
          { kind: "text", value: "thanks" },
        ],
      },
    ];
    expect(toChatMessages(messages)).toEqual([
      { role: "user", content: "what is in a.ts?" },
      { role: "assistant", content: "Let me look.", toolCalls: [{ id: "c1", name: "read", arguments: '{"path":"a.ts"}' }] },
      { role: "tool", toolCallId: "c1", content: "export const a = 1;" },
      { role: "tool", toolCallId: "c2", content: "r2" },
      { role: "user", content: "thanks" },
    ]);
  });
});
