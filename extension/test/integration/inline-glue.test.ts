/**
 * The real glue (session, inline provider, exclusions, status bar) on a fake `vscode` module,
 * against the vLLM fixture: ghost text, type-through without requests, excluded files,
 * superseded requests aborted, backoff from a failing endpoint, and the status bar states.
 */
jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true });

import { createDocument, noCancellation, state, vscode } from "./fake-vscode";
import { startInlineGlue, type InlineGlue } from "./glue-harness";
import { API_KEY, eventually, MODEL, startHarness, type Harness } from "./fixture-helpers";

const AUTOMATIC = { triggerKind: 1, selectedCompletionInfo: undefined };
const INVOKE = { triggerKind: 0, selectedCompletionInfo: undefined };
const BODY = "function add(a, b) {\n  ";
const REST = "\n}\n";

/** Asks the provider at the end of `before`, as VS Code does after a keystroke. */
async function ask(glue: InlineGlue, before: string, after = REST, trigger = AUTOMATIC, file = "/ws/src/math.ts") {
  const document = createDocument(file, before + after);
  const items = await glue.provider.provideInlineCompletionItems(
    document as never,
    document.positionAt(before.length) as never,
    trigger,
    noCancellation,
  );
  return items?.[0]?.insertText;
}

describe("inline completion glue against the vLLM fixture", () => {
  let h: Harness;
  let glue: InlineGlue;
  beforeEach(async () => {
    h = await startHarness();
    h.script.completionText = "return a + b;";
    glue = await startInlineGlue(h);
  });
  afterEach(async () => {
    glue.dispose();
    vscode.workspace.textDocuments = [];
    await h.fixture.stop();
  });

  it("shows ghost text and the model and latency in the status bar", async () => {
    expect(await ask(glue, BODY)).toBe("return a + b;");
    expect(state.statusBarText).toMatch(new RegExp(`^\\$\\(hubot\\) AiCockpit ${MODEL.replace(/\./g, "\\.")} · \\d+ ms$`));
  });

  it("sends no request while the user types along the shown suggestion", async () => {
    await ask(glue, BODY);
    const suggestion = "return a + b;";
    for (let typed = 1; typed < suggestion.length; typed++) {
      expect(await ask(glue, BODY + suggestion.slice(0, typed))).toBe(suggestion.slice(typed));
    }
    expect(h.fixture.requestsTo("/v1/completions")).toHaveLength(1);
  });

  it("never completes nor sends excluded files, and keeps them out of other files' context", async () => {
    expect(await ask(glue, "API_KEY=", "", AUTOMATIC, "/ws/.env")).toBeUndefined();
    expect(await ask(glue, "KEY=", "", AUTOMATIC, "/ws/config/.env.production")).toBeUndefined();
    expect(await ask(glue, "-----BEGIN", "", AUTOMATIC, "/ws/certs/server.key")).toBeUndefined();
    expect(h.fixture.requestsTo("/v1/completions")).toHaveLength(0);

    vscode.workspace.textDocuments = [
      createDocument("/ws/.env", "SECRET_TOKEN=hunter2\n"),
      createDocument("/ws/src/util.ts", "export const two = 2;\n"),
    ];
    await ask(glue, BODY);
    const prompt = (h.fixture.requestsTo("/v1/completions")[0].body as { prompt: string }).prompt;
    expect(prompt).toContain("export const two = 2;");
    expect(prompt).not.toContain("hunter2");
    expect(JSON.stringify(h.fixture.requests)).not.toContain("hunter2");
  });

  it("aborts the superseded request when a newer keystroke asks", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `x${i}`).join(" ");
    h.script.completionText = (prompt) => (prompt.includes("  r<|fim_suffix|>") ? "eturn a + b;" : long);
    h.script.tokensPerSecond = 100;
    const first = ask(glue, BODY, REST, INVOKE);
    await eventually(() => h.script.generations.length === 1);
    const second = await ask(glue, `${BODY}r`, REST, INVOKE);
    expect(await first).toBeUndefined();
    expect(second).toBe("eturn a + b;");
    const superseded = h.script.generations[0];
    await eventually(() => superseded.clientClosed);
    expect(superseded.tokensSent).toBeLessThan(superseded.tokensPlanned);
    // A cancellation is not a failure: no backoff, the status stays healthy.
    expect(glue.session.canRequest(`${h.fixture.url}/v1`)).toBe(true);
    expect(glue.session.health.kind).toBe("ok");
  });

  it("backs off from a failing endpoint instead of sending a request per keystroke", async () => {
    h.script.persistentFault = { kind: "status", status: 503 };
    await glue.session.reload();
    const started = Date.now();
    let keystrokes = 0;
    while (Date.now() - started < 1500) {
      await ask(glue, BODY + "r".repeat(keystrokes % 5));
      keystrokes++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(keystrokes).toBeGreaterThan(30);
    // Initial backoff 1 s after the failed probe: at most one completion attempt in 1.5 s.
    expect(h.fixture.requestsTo("/v1/completions").length).toBeLessThanOrEqual(1);
    expect(state.statusBarText).toContain("error");
    expect(state.log.filter((l) => l.includes("503")).length).toBeLessThanOrEqual(3);
  });

  it("says unauthorized when the key is wrong", async () => {
    glue.dispose();
    glue = await startInlineGlue(h, "wrong-key");
    expect(state.statusBarText).toBe("$(hubot) AiCockpit unauthorized");
    expect(await ask(glue, BODY)).toBeUndefined();
    expect(h.fixture.requestsTo("/v1/completions")).toHaveLength(0);
  });

  it("says which model is missing and what the server serves", async () => {
    state.settings.set("aicockpit.manual.completionModel", "qwen2.5-coder-32b");
    await glue.session.reload();
    expect(state.statusBarText).toBe("$(hubot) AiCockpit qwen2.5-coder-32b · model not found");
    expect(glue.session.health.detail).toContain(`it serves: ${MODEL}`);
  });

  it("keeps completing when only the chat model is missing on the same server", async () => {
    state.settings.set("aicockpit.manual.chatModel", "qwen2.5-coder-32b-instruct");
    await glue.session.reload();
    expect(state.statusBarText).toBe("$(hubot) AiCockpit qwen2.5-coder-32b-instruct · model not found");
    expect(glue.session.health.detail).toContain('"qwen2.5-coder-32b-instruct"');
    expect(await ask(glue, BODY)).toBe("return a + b;");
  });

  it("says unreachable when the server is down, and recovers when it is back", async () => {
    const port = h.fixture.port;
    await h.fixture.stop();
    await glue.session.checkHealth();
    expect(state.statusBarText).toContain("unreachable");
    h = await startHarness({ apiKey: API_KEY, servedModelNames: [MODEL], port });
    h.script.completionText = "return a + b;";
    await glue.session.checkHealth();
    expect(state.statusBarText).toMatch(/^\$\(hubot\) AiCockpit qwen2\.5-coder-7b/);
    expect(await ask(glue, BODY)).toBe("return a + b;");
  });
});
