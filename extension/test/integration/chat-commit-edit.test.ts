/**
 * On a fake `vscode` against the vLLM fixture: `@aicockpit` answering a workspace question with
 * VS Code's tools (a tool call, its result back to the model, an excluded file refused), the
 * commit message from the staged diff streamed into the input box, and a follow-up on a
 * proposed edit.
 */
jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true });

import { registerChatParticipant } from "../../src/vscode/chat-participant";
import { generateCommitMessageCommand } from "../../src/vscode/commit-message";
import { InstructionEdits } from "../../src/vscode/instruction-edit";
import type { TerminalHelp } from "../../src/vscode/terminal-help";
import { createDocument, noCancellation, state, vscode } from "./fake-vscode";
import { manualSession } from "./glue-harness";
import { MODEL, startHarness, type Harness } from "./fixture-helpers";

const startSession = (h: Harness, extra: [string, unknown][] = []) =>
  manualSession(h, [
    ["aicockpit.manual.chatModel", MODEL],
    ["aicockpit.manual.fimTemplate", "none"],
    ["aicockpit.manual.maxModelLen", 16384],
    ...extra,
  ]);

const chatBodies = (h: Harness) =>
  h.fixture
    .requestsTo("/v1/chat/completions")
    .map((r) => r.body as { messages: Record<string, unknown>[]; tools?: unknown[]; max_tokens?: number });

describe("@aicockpit with VS Code's tools", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    state.toolHandlers = new Map([["aicockpit_readFile", (input) => `read ${(input as { path: string }).path}: export const a = 1;`]]);
    state.invokedTools = [];
    vscode.lm.tools = [
      { name: "aicockpit_readFile", description: "Read a file", inputSchema: { type: "object" }, tags: [] },
      { name: "aicockpit_searchWorkspace", description: "Search", inputSchema: { type: "object" }, tags: [] },
      { name: "run_in_terminal", description: "Runs commands", inputSchema: undefined, tags: [] },
    ];
  });
  afterEach(() => h.fixture.stop());

  async function ask(prompt: string, settings: [string, unknown][] = [["aicockpit.chat.toolCalling", true]]) {
    const g = await startSession(h, settings);
    registerChatParticipant(g.session, g.exclusions, { takeFailure: () => undefined } as unknown as TerminalHelp);
    const markdown: string[] = [];
    const buttons: { command: string; title: string; arguments?: unknown[] }[] = [];
    const stream = {
      markdown: (t: string) => markdown.push(t),
      button: (b: (typeof buttons)[number]) => buttons.push(b),
      progress: () => undefined,
      reference: () => undefined,
    };
    const handler = state.chatHandler as (r: unknown, c: unknown, s: unknown, t: unknown) => Promise<unknown>;
    const result = await handler(
      { prompt, references: [], command: undefined, toolInvocationToken: { token: 1 } },
      { history: [] },
      stream,
      noCancellation,
    );
    g.dispose();
    return { result, text: markdown.join(""), buttons };
  }

  test("the model reads a file through VS Code's tool; the result goes back as a tool message; the answer follows", async () => {
    h.script.chatQueue.push({ toolCalls: [{ name: "aicockpit_readFile", arguments: '{"path": "src/a.ts"}', id: "c1" }] });
    h.script.chatQueue.push("`a` is 1.");
    const { text } = await ask("what is a?");
    expect(state.invokedTools).toEqual([{ name: "aicockpit_readFile", input: { path: "src/a.ts" } }]);
    const [first, second] = chatBodies(h);
    // Read and search tools are offered; a terminal tool is not.
    expect((first.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual([
      "aicockpit_readFile",
      "aicockpit_searchWorkspace",
    ]);
    expect(first.max_tokens).toBe(4096);
    expect(second.messages.slice(-2)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "aicockpit_readFile", arguments: '{"path": "src/a.ts"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "read src/a.ts: export const a = 1;" },
    ]);
    expect(text).toContain("`a` is 1.");
  });

  test("a call naming an excluded file is refused before any tool runs", async () => {
    h.script.chatQueue.push({ toolCalls: [{ name: "aicockpit_readFile", arguments: '{"path": ".env"}', id: "c1" }] });
    h.script.chatQueue.push("I cannot read it.");
    const { text } = await ask("what is in .env?");
    expect(state.invokedTools).toEqual([]);
    expect(chatBodies(h)[1].messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "c1",
      content: "Refused: .env is excluded from AI context.",
    });
    expect(text).toContain("is excluded, never sent to the model");
  });

  test("a tool that fails: the model is told why and answers on", async () => {
    state.toolHandlers.set("aicockpit_readFile", () => {
      throw new Error("no such file src/b.ts");
    });
    h.script.chatQueue.push({ toolCalls: [{ name: "aicockpit_readFile", arguments: '{"path": "src/b.ts"}', id: "c1" }] });
    h.script.chatQueue.push("There is no src/b.ts.");
    const { text, result } = await ask("what is in b?");
    expect(chatBodies(h)[1].messages.at(-1)).toEqual({
      role: "tool",
      tool_call_id: "c1",
      content: "The tool failed: no such file src/b.ts",
    });
    expect(text).toContain("There is no src/b.ts.");
    expect(result).toEqual({ metadata: { model: MODEL } });
  });

  test("an answer's code blocks get insert buttons, each with its own code; an unfinished block gets none", async () => {
    h.script.chatQueue.push("Two ways:\n```ts\nconst a = 1;\n```\nor\n```ts\nlet a = 1;\n```\nand\n```ts\nvar a");
    const { buttons } = await ask("declare a", []);
    expect(buttons).toEqual([
      { command: "aicockpit.insertCodeBlock", title: "$(insert) Insert block 1 at cursor", arguments: ["const a = 1;"] },
      { command: "aicockpit.insertCodeBlock", title: "$(insert) Insert block 2 at cursor", arguments: ["let a = 1;"] },
    ]);
  });

  test("a server error ends the answer with the error, not an exception", async () => {
    h.script.faults.push({ kind: "status", status: 500, path: "/v1/chat/completions" });
    const { result } = await ask("hello", []);
    expect(result).toEqual({ errorDetails: { message: "Server error 500: Injected failure 500" } });
  });

  test("malformed arguments: the user is told, the model is asked to call again", async () => {
    h.script.chatQueue.push({ toolCalls: [{ name: "aicockpit_readFile", arguments: "{path: a}", id: "c1" }] });
    h.script.chatQueue.push("done");
    const { text } = await ask("read a");
    expect(state.invokedTools).toEqual([]);
    expect(text).toContain("The model tried to call `aicockpit_readFile`, but the arguments are not valid JSON");
    expect(chatBodies(h)[1].messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "c1" });
  });
});

describe("commit message from the staged diff", () => {
  let h: Harness;
  const diff = [
    "diff --git a/src/calc.ts b/src/calc.ts",
    "--- a/src/calc.ts",
    "+++ b/src/calc.ts",
    "@@ -1 +1,2 @@",
    "+export const tax = 0.2;",
    "diff --git a/.env b/.env",
    "--- a/.env",
    "+++ b/.env",
    "@@ -0,0 +1 @@",
    "+SECRET=hunter2",
  ].join("\n");
  const repository = {
    rootUri: vscode.Uri.file("/ws"),
    inputBox: { value: "" },
    diff: (cached?: boolean) => Promise.resolve(cached ? diff : ""),
    log: () => Promise.resolve([{ message: "feat: add area\n\nbody" }, { message: "fix: rounding" }]),
  };
  beforeEach(async () => {
    h = await startHarness();
    repository.inputBox.value = "";
    state.extensions = new Map([
      [
        "vscode.git",
        {
          isActive: true,
          exports: { getAPI: () => ({ repositories: [repository], getRepository: () => repository }) },
          activate: () => Promise.resolve(undefined),
        },
      ],
    ]);
  });
  afterEach(() => h.fixture.stop());

  test("the message is streamed into the input box; the excluded file is not sent; the style comes from recent subjects", async () => {
    const g = await startSession(h);
    h.script.chatQueue.push("feat(calc): add the tax rate");
    h.script.tokensPerSecond = 200;
    const seen: string[] = [];
    let value = "";
    Object.defineProperty(repository.inputBox, "value", {
      get: () => value,
      set: (v: string) => (seen.push(v), (value = v)),
      configurable: true,
    });
    expect(await generateCommitMessageCommand(g.session, g.exclusions, g.log, { rootUri: repository.rootUri })).toBe(true);
    expect(value).toBe("feat(calc): add the tax rate");
    expect(seen.length).toBeGreaterThan(1);
    const sent = JSON.stringify(chatBodies(h).at(-1));
    expect(sent).toContain("export const tax = 0.2;");
    expect(sent).not.toContain("hunter2");
    expect(sent).toContain("Conventional Commits");
    expect(sent).toContain("- feat: add area");
    g.dispose();
  });

  test("nothing staged: nothing is sent", async () => {
    const g = await startSession(h);
    const empty = { ...repository, diff: () => Promise.resolve("") };
    state.extensions = new Map([
      [
        "vscode.git",
        {
          isActive: true,
          exports: { getAPI: () => ({ repositories: [empty], getRepository: () => empty }) },
          activate: () => Promise.resolve(undefined),
        },
      ],
    ]);
    expect(await generateCommitMessageCommand(g.session, g.exclusions, g.log)).toBe(false);
    expect(chatBodies(h)).toEqual([]);
    expect(state.messages[0]).toMatch(/nothing is staged/);
    g.dispose();
  });
});

describe("instruction edits", () => {
  let h: Harness;
  const FILE = "/ws/src/calc.ts";
  const TEXT = "function area(w, h) {\n  return w * h;\n}\n";
  const PROPOSAL = "function area(width, height) {\n  return width * height;\n}";
  beforeEach(async () => {
    h = await startHarness();
    state.files = new Map([[FILE, TEXT]]);
    state.messages = [];
    state.appliedEdits = 0;
  });
  afterEach(() => {
    vscode.window.activeTextEditor = undefined;
    return h.fixture.stop();
  });

  /** An editor on calc.ts with `from`..`to` selected (offsets), the glue, and a proposal queued. */
  async function editorWith(from: number, to: number, settings: [string, unknown][] = []) {
    const g = await startSession(h, settings);
    const document = createDocument(FILE, TEXT);
    vscode.window.activeTextEditor = {
      document,
      selection: { isEmpty: from === to, start: document.positionAt(from), end: document.positionAt(to), active: document.positionAt(to) },
    };
    h.script.chatQueue.push(`\`\`\`js\n${PROPOSAL}\n\`\`\``);
    const edits = new InstructionEdits(g.session, g.exclusions, g.log);
    return {
      edits,
      dispose: () => {
        edits.dispose();
        g.dispose();
      },
    };
  }

  test("accept applies the proposal in place of the selection, as one edit", async () => {
    const { edits, dispose } = await editorWith(0, TEXT.length - 1);
    expect(await edits.editSelection("name the parameters in full")).toBe(true);
    expect(await edits.accept()).toBe(true);
    expect(state.files.get(FILE)).toBe(`${PROPOSAL}\n`);
    expect(state.appliedEdits).toBe(1);
    expect(await edits.accept()).toBe(false);
    dispose();
  });

  test("accept refuses when the selected code changed since the request, and leaves the file alone", async () => {
    const { edits, dispose } = await editorWith(0, TEXT.length - 1);
    await edits.editSelection("name the parameters in full");
    state.files.set(FILE, TEXT.replace("w * h", "h * w"));
    expect(await edits.accept()).toBe(false);
    expect(state.files.get(FILE)).toBe(TEXT.replace("w * h", "h * w"));
    expect(state.messages).toContainEqual("warning: AiCockpit: the selected code changed since the request; the edit was not applied.");
    dispose();
  });

  test("reject leaves the file as it was, and nothing is left to accept", async () => {
    const { edits, dispose } = await editorWith(0, TEXT.length - 1);
    await edits.editSelection("name the parameters in full");
    expect(await edits.reject()).toBe(true);
    expect(await edits.accept()).toBe(false);
    expect(state.files.get(FILE)).toBe(TEXT);
    expect(state.appliedEdits).toBe(0);
    dispose();
  });

  test("with nothing selected, the cursor's line is what is edited", async () => {
    const lineStart = TEXT.indexOf("  return");
    const { edits, dispose } = await editorWith(lineStart, lineStart);
    await edits.editSelection("use multiplication the other way round");
    expect(state.log).toContainEqual("info Edit requested for src/calc.ts, lines 2–2 (15 chars).");
    dispose();
  });

  test("an empty instruction, or none, sends nothing", async () => {
    const { edits, dispose } = await editorWith(0, TEXT.length - 1);
    state.inputAnswers.push("  ");
    expect(await edits.editSelection()).toBe(false);
    state.inputAnswers.push(undefined);
    expect(await edits.editSelection()).toBe(false);
    expect(chatBodies(h)).toEqual([]);
    dispose();
  });

  test("a selection too long for the model's context is refused with a warning, before any request", async () => {
    const long = `${"x".repeat(4000)}\n`.repeat(8);
    state.files.set(FILE, long);
    const g = await startSession(h, [["aicockpit.manual.maxModelLen", 2048]]);
    const document = createDocument(FILE, long);
    vscode.window.activeTextEditor = {
      document,
      selection: { isEmpty: false, start: document.positionAt(0), end: document.positionAt(long.length), active: document.positionAt(0) },
    };
    const edits = new InstructionEdits(g.session, g.exclusions, g.log);
    expect(await edits.editSelection("shorten")).toBe(false);
    expect(chatBodies(h)).toEqual([]);
    expect(state.messages).toContainEqual(
      expect.stringMatching(
        /^warning: AiCockpit: the selection \(about \d+ tokens\) is too long for .* context of 2048 tokens; select less\.$/,
      ),
    );
    edits.dispose();
    g.dispose();
  });
});

describe("a follow-up on a proposed edit", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.fixture.stop());

  test("refines the same proposal: the conversation and the proposal go with the new instruction", async () => {
    const g = await startSession(h);
    const text = "function area(w, h) {\n  return w * h;\n}\n";
    const document = createDocument("/ws/src/calc.ts", text);
    vscode.window.activeTextEditor = {
      document,
      selection: { isEmpty: false, start: document.positionAt(0), end: document.positionAt(text.length), active: document.positionAt(0) },
    };
    const edits = new InstructionEdits(g.session, g.exclusions, g.log);
    h.script.chatQueue.push("```js\nfunction area(width, height) {\n  return width * height;\n}\n```");
    expect(await edits.editSelection("name the parameters in full")).toBe(true);
    h.script.chatQueue.push("```js\nfunction area(width: number, height: number) {\n  return width * height;\n}\n```");
    expect(await edits.refine("add types")).toBe(true);
    const refine = chatBodies(h).at(-1)!;
    expect(refine.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(refine.messages[2].content).toContain("function area(width, height)");
    expect(refine.messages[3].content).toMatch(/^Refine your proposal: add types/);
    vscode.window.activeTextEditor = undefined;
    edits.dispose();
    g.dispose();
  });
});
