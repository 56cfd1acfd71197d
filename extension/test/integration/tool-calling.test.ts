/**
 * Tool calling through the language model provider (what VS Code's agent mode and other
 * extensions use), on a fake `vscode` against the vLLM fixture: a full round trip, malformed
 * tool-call JSON from the model, and cancellation mid-call.
 */
jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true });

import { AiCockpitLanguageModels } from "../../src/vscode/language-models";
import { noCancellation, vscode } from "./fake-vscode";
import { manualSession } from "./glue-harness";
import { eventually, MODEL, startHarness, type Harness } from "./fixture-helpers";

const READ_TOOL = {
  name: "read_file",
  description: "Read a file",
  inputSchema: { type: "object", properties: { path: { type: "string" } } },
};
const user = (...content: unknown[]) => ({ role: vscode.LanguageModelChatMessageRole.User, content, name: undefined });
const assistant = (...content: unknown[]) => ({ role: vscode.LanguageModelChatMessageRole.Assistant, content, name: undefined });

async function start(h: Harness, toolCalling = true) {
  const { session, exclusions } = await manualSession(h, [
    ["aicockpit.manual.chatModel", MODEL],
    ["aicockpit.manual.fimTemplate", "none"],
    ["aicockpit.chat.toolCalling", toolCalling],
  ]);
  const models = new AiCockpitLanguageModels(session);
  const [info] = models.provideLanguageModelChatInformation();
  return { session, models, info, dispose: () => [models, exclusions, session].forEach((d) => d.dispose()) };
}

/** Runs one request the way VS Code does; returns the parts reported. */
async function respond(models: AiCockpitLanguageModels, info: unknown, messages: unknown[], token: unknown = noCancellation) {
  const parts: unknown[] = [];
  await models.provideLanguageModelChatResponse(
    info as never,
    messages as never,
    { tools: [READ_TOOL], toolMode: vscode.LanguageModelChatToolMode.Auto },
    { report: (p: unknown) => parts.push(p) },
    token as never,
  );
  return parts;
}

describe("tool calling through the language model provider", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.fixture.stop());

  test("declared only when tool calling is on", async () => {
    const on = await start(h, true);
    expect(on.info.capabilities).toEqual({ toolCalling: true });
    on.dispose();
    const off = await start(h, false);
    expect(off.info.capabilities).toEqual({ toolCalling: false });
    await respond(off.models, off.info, [user(new vscode.LanguageModelTextPart("hi"))]);
    expect(h.fixture.requestsTo("/v1/chat/completions").at(-1)?.body).not.toHaveProperty("tools");
    off.dispose();
  });

  test("a full round trip: tools out, a tool call back as a ToolCallPart, the result back as a tool message", async () => {
    const g = await start(h);
    h.script.chatQueue.push({
      text: "Reading it.",
      toolCalls: [{ name: "read_file", arguments: '{"path": "src/calc.ts"}', id: "call-7" }],
    });
    const first = await respond(g.models, g.info, [user(new vscode.LanguageModelTextPart("what is in calc.ts?"))]);
    const sent = h.fixture.requestsTo("/v1/chat/completions").at(-1)?.body as Record<string, unknown>;
    expect(sent.tools).toEqual([
      { type: "function", function: { name: "read_file", description: "Read a file", parameters: READ_TOOL.inputSchema } },
    ]);
    expect(sent.tool_choice).toBe("auto");
    expect(sent.stream).toBe(true);
    const call = first.find((p) => p instanceof vscode.LanguageModelToolCallPart) as InstanceType<typeof vscode.LanguageModelToolCallPart>;
    expect(call).toEqual(new vscode.LanguageModelToolCallPart("call-7", "read_file", { path: "src/calc.ts" }));
    expect(
      first
        .filter((p) => p instanceof vscode.LanguageModelTextPart)
        .map((p) => (p as { value: string }).value)
        .join(""),
    ).toBe("Reading it.");

    h.script.chatQueue.push("calc.ts exports area.");
    const second = await respond(g.models, g.info, [
      user(new vscode.LanguageModelTextPart("what is in calc.ts?")),
      assistant(new vscode.LanguageModelTextPart("Reading it."), call),
      user(new vscode.LanguageModelToolResultPart("call-7", [new vscode.LanguageModelTextPart("export function area() {}")])),
    ]);
    const back = (h.fixture.requestsTo("/v1/chat/completions").at(-1)?.body as { messages: unknown[] }).messages;
    expect(back).toEqual([
      { role: "user", content: "what is in calc.ts?" },
      {
        role: "assistant",
        content: "Reading it.",
        tool_calls: [{ id: "call-7", type: "function", function: { name: "read_file", arguments: '{"path":"src/calc.ts"}' } }],
      },
      { role: "tool", tool_call_id: "call-7", content: "export function area() {}" },
    ]);
    expect(second.map((p) => (p as { value: string }).value).join("")).toBe("calc.ts exports area.");
    g.dispose();
  });

  test("malformed tool-call JSON: no tool call reaches VS Code, the user reads why", async () => {
    const g = await start(h);
    h.script.chatQueue.push({ toolCalls: [{ name: "read_file", arguments: '{"path": src/calc.ts' }] });
    const parts = await respond(g.models, g.info, [user(new vscode.LanguageModelTextPart("read calc"))]);
    expect(parts.some((p) => p instanceof vscode.LanguageModelToolCallPart)).toBe(false);
    const text = parts.map((p) => (p as { value: string }).value).join("");
    expect(text).toContain("The model tried to call `read_file`, but the arguments are not valid JSON");
    expect(text).toContain('{"path": src/calc.ts');
    expect(g.session.health.kind).toBe("ok");
    g.dispose();
  });

  test("cancellation mid-call: the stream is closed, nothing is reported after, no error, no backoff", async () => {
    const g = await start(h);
    h.script.chatQueue.push({
      text: "Let me read the file first. ".repeat(5),
      toolCalls: [{ name: "read_file", arguments: '{"path": "src/calc.ts"}' }],
    });
    h.script.tokensPerSecond = 50;
    let cancel: () => void = () => undefined;
    const token = {
      isCancellationRequested: false,
      onCancellationRequested: (listener: () => void) => {
        cancel = () => {
          token.isCancellationRequested = true;
          listener();
        };
        return { dispose: () => undefined };
      },
    };
    const pending = respond(g.models, g.info, [user(new vscode.LanguageModelTextPart("read calc"))], token);
    await eventually(() => (h.script.generations.at(-1)?.tokensSent ?? 0) >= 3);
    cancel();
    const parts = await pending;
    expect(parts.some((p) => p instanceof vscode.LanguageModelToolCallPart)).toBe(false);
    await eventually(() => h.script.generations.at(-1)?.clientClosed === true);
    expect(g.session.canRequest(`${h.fixture.url}/v1`)).toBe(true);
    g.dispose();
  });
});
