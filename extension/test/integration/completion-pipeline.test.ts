/** The keystroke path end to end under Node: plan (core) → stream (client) → early stop → post-processing. */
import { planCompletion } from "../../src/core/completion-plan";
import { runChat, runCompletion } from "../../src/client/streams";
import { eventually, MODEL, startHarness, type Harness } from "./fixture-helpers";

const DOC = "function add(a, b) {\n  \n}\n\nexport { add };\n";
const CURSOR = DOC.indexOf("  \n") + 2;

function plan(maxTokens = 256) {
  return planCompletion({
    document: { path: "src/math.ts", languageId: "typescript", text: DOC, offset: CURSOR },
    family: "qwen",
    maxModelLen: 8192,
    maxTokens,
  });
}

describe("completion pipeline against the vLLM fixture", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.fixture.stop();
  });

  it("sends a FIM prompt without `suffix` and shows the post-processed suggestion", async () => {
    h.script.completionQueue.push("return a + b;");
    const outcome = await runCompletion(h.client(), MODEL, plan(), new AbortController().signal);
    expect(outcome.text).toBe("return a + b;");
    const body = h.fixture.requestsTo("/v1/completions")[0].body as { prompt: string; stop: string[] };
    expect(body.prompt).toContain("<|fim_prefix|>");
    expect(body.prompt).toContain("<|fim_suffix|>\n}");
    expect(body.prompt.endsWith("<|fim_middle|>")).toBe(true);
    expect(body.stop).toContain("<|endoftext|>");
    expect(body).not.toHaveProperty("suffix");
  });

  it("stops at the end of the block and closes the request while the server is still generating", async () => {
    const rest = Array.from({ length: 100 }, (_, i) => `function f${i}() {\n  return ${i};\n}\n`).join("\n");
    h.script.completionQueue.push(`return a + b;\n}\n\n${rest}`);
    h.script.tokensPerSecond = 500;
    const outcome = await runCompletion(h.client(), MODEL, plan(), new AbortController().signal);
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.text).toBe("return a + b;");
    const generation = h.script.generations[0];
    await eventually(() => generation.clientClosed);
    expect(generation.tokensSent).toBeLessThan(generation.tokensPlanned / 4);
  });

  it("skips and counts garbled stream lines without losing the answer", async () => {
    h.script.completionQueue.push("return a + b;");
    h.script.garbleEvery = 2;
    const outcome = await runCompletion(h.client(), MODEL, plan(), new AbortController().signal);
    expect(outcome.text).toBe("return a + b;");
    // 8 tokens ("return", " ", "a", " ", "+", " ", "b", ";"), a garbled line after every 2nd.
    expect(outcome.garbled).toBe(4);
  });

  it("measures time to first token", async () => {
    h.script.completionQueue.push("return a + b;");
    h.script.ttftMs = 80;
    const outcome = await runCompletion(h.client(), MODEL, plan(), new AbortController().signal);
    expect(outcome.firstTokenMs).toBeGreaterThanOrEqual(70);
    expect(outcome.totalMs).toBeGreaterThanOrEqual(outcome.firstTokenMs ?? 0);
  });

  it("returns no suggestion when the model only repeats what follows the cursor", async () => {
    h.script.completionQueue.push("\n}");
    const outcome = await runCompletion(h.client(), MODEL, plan(), new AbortController().signal);
    expect(outcome.text).toBeUndefined();
  });

  it("streams chat deltas in order", async () => {
    h.script.chatQueue.push("Adds `a` and `b`.");
    const deltas: string[] = [];
    const result = await runChat(
      h.client(),
      { model: MODEL, messages: [{ role: "user", content: "What does add do?" }] },
      new AbortController().signal,
      (d) => deltas.push(d),
    );
    expect(deltas.join("")).toBe("Adds `a` and `b`.");
    expect(result.text).toBe("Adds `a` and `b`.");
    expect(result.finishReason).toBe("stop");
  });
});
