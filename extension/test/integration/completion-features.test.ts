/**
 * The inline-completion glue's newer features on a fake `vscode` against the vLLM fixture:
 * FIM markers verified on connect (warning and status bar when they split, stop_token_ids when
 * they do not), symbol definitions from the language server within a strict wait, and
 * alternatives from one request when the user asks for them.
 */
jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true });

import { FIM_SPECS } from "../../../core/contract/fim";
import { toySpecialId } from "../../../test/fixtures/vllm/toy-tokenizer";
import type { InlineCompletions } from "../../src/vscode/inline-completions";
import { createDocument, noCancellation, state, vscode } from "./fake-vscode";
import { startInlineGlue } from "./glue-harness";
import { eventually, MODEL, startHarness, type Harness } from "./fixture-helpers";

const AUTOMATIC = { triggerKind: 1, selectedCompletionInfo: undefined };
const INVOKE = { triggerKind: 0, selectedCompletionInfo: undefined };

async function ask(provider: InlineCompletions, text: string, trigger = AUTOMATIC, file = "/ws/src/main.ts") {
  const document = createDocument(file, text);
  const items = await provider.provideInlineCompletionItems(
    document as never,
    document.positionAt(text.length) as never,
    trigger,
    noCancellation,
  );
  return items?.map((i) => i.insertText);
}

const lastCompletionBody = (h: Harness) => h.fixture.requestsTo("/v1/completions").at(-1)?.body as Record<string, unknown>;

describe("FIM markers verified on connect", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.script.completionText = "compute();";
  });
  afterEach(() => h.fixture.stop());

  test("markers that are single tokens: no warning, and their ids go as stop_token_ids", async () => {
    const glue = await startInlineGlue(h);
    await eventually(() => glue.session.fim.get(glue.session.target!.completion!) !== undefined);
    expect(state.messages).toEqual([]);
    expect(state.statusBarText).not.toContain("FIM markers split");
    // The check asked the gateway path first, then vLLM's own /tokenize, for the markers alone.
    expect(h.fixture.requestsTo("/v1/tokenize").length).toBeGreaterThan(0);
    expect(h.fixture.requestsTo("/tokenize").at(-1)?.body).toMatchObject({ model: MODEL, add_special_tokens: false });
    await ask(glue.provider, "const x = ");
    const ids = lastCompletionBody(h).stop_token_ids as number[];
    expect(ids).toEqual(expect.arrayContaining([toySpecialId(FIM_SPECS.qwen.markers.prefix), toySpecialId("<|endoftext|>")]));
    expect(lastCompletionBody(h).stop).toEqual(expect.arrayContaining(["<|fim_prefix|>"]));
    glue.dispose();
  });

  test("a tokenizer that splits the markers: the status bar and ONE warning say which marker and what to change", async () => {
    h.script.splitFimFamilies = ["qwen"];
    const glue = await startInlineGlue(h);
    await eventually(() => state.statusBarText.includes("FIM markers split"));
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatch(
      /^warning: AiCockpit: qwen2\.5-coder-7b: The server's tokenizer splits the qwen FIM markers "<\|fim_prefix\|>" into 5 tokens/,
    );
    expect(state.messages[0]).toContain("set the model's FIM family (fimTemplate) to deepseek");
    expect(glue.session.fimProblem).toBeDefined();
    // Connecting again (a settings change) does not repeat the warning; completions carry no stop ids.
    await glue.session.reload();
    await glue.session.verifyFim();
    expect(state.messages).toHaveLength(1);
    await ask(glue.provider, "const y = ");
    expect(lastCompletionBody(h)).not.toHaveProperty("stop_token_ids");
    glue.dispose();
  });

  test("a server without a tokenize endpoint: no verdict, no warning, completions as before", async () => {
    h.fixture.route("POST", "/tokenize", (_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"detail":"Not Found"}');
    });
    const glue = await startInlineGlue(h);
    await eventually(() => glue.session.fim.get(glue.session.target!.completion!)?.kind === "unavailable");
    expect(state.messages).toEqual([]);
    expect(await ask(glue.provider, "const z = ")).toEqual(["compute();"]);
    glue.dispose();
  });
});

describe("symbol-level context", () => {
  let h: Harness;
  const TAX = "/ws/src/tax.ts";
  const TAX_TEXT =
    "// Tax helpers.\n\nexport function computeTotal(subtotal: number, rate: number): number {\n  return subtotal * (1 + rate);\n}\n";
  const MAIN = "import { computeTotal } from './tax';\nconst subtotal = 10;\nconst total = computeTotal(subtotal, 0.2);\nconst shown = ";
  beforeEach(async () => {
    h = await startHarness();
    h.script.completionText = "total;";
    state.files = new Map([[TAX, TAX_TEXT]]);
    state.commandHandlers = new Map();
  });
  afterEach(() => {
    state.commandHandlers = new Map();
    return h.fixture.stop();
  });

  test("the definition of a symbol the cursor uses goes into the prompt, widened to its declaration", async () => {
    state.commandHandlers.set("vscode.executeDefinitionProvider", (_uri, position) => {
      const p = position as { line: number };
      // Only computeTotal (line 2 or 0 of main.ts) is defined elsewhere.
      return p.line === 2 || p.line === 0 ? [new vscode.Location(vscode.Uri.file(TAX), new vscode.Range(2, 16, 2, 28))] : [];
    });
    state.commandHandlers.set("vscode.executeDocumentSymbolProvider", () => [
      { name: "computeTotal", range: new vscode.Range(2, 0, 4, 1), children: [] },
    ]);
    const glue = await startInlineGlue(h);
    await ask(glue.provider, MAIN); // starts the lookups; this request may go without them
    await eventually(() => glue.symbols.stats.lookups > 0);
    await ask(glue.provider, `${MAIN}t`);
    const prompt = lastCompletionBody(h).prompt as string;
    expect(prompt).toContain(
      "<|file_sep|>src/tax.ts\nexport function computeTotal(subtotal: number, rate: number): number {\n  return subtotal * (1 + rate);\n}",
    );
    // The definition replaced the imported file's head.
    expect(prompt).not.toContain("// Tax helpers.");
    glue.dispose();
  });

  test("a language server that never answers delays no suggestion beyond the wait budget; the imported file's head is used", async () => {
    state.commandHandlers.set("vscode.executeDefinitionProvider", () => new Promise(() => undefined));
    const glue = await startInlineGlue(h);
    state.files.set("/ws/src/tax.ts", TAX_TEXT);
    // Were the request waiting for the lookup, it would never be sent (the lookup never ends).
    expect(await ask(glue.provider, MAIN)).toEqual(["total;"]);
    expect(await ask(glue.provider, `${MAIN}q`)).toEqual(["total;"]);
    expect(lastCompletionBody(h).prompt).toContain("// Tax helpers.");
    glue.dispose();
  });
});

describe("alternatives", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.fixture.stop());

  test("an explicit invoke offers up to three suggestions from ONE request with n sampled choices", async () => {
    const glue = await startInlineGlue(h);
    h.script.completionQueue.push("first();");
    expect(await ask(glue.provider, "const x = ")).toEqual(["first();"]);
    h.script.completionQueue.push(["second();", "first();", "third();"]);
    const before = h.fixture.requestsTo("/v1/completions").length;
    expect(await ask(glue.provider, "const x = ", INVOKE)).toEqual(["first();", "second();", "third();"]);
    expect(h.fixture.requestsTo("/v1/completions").length).toBe(before + 1);
    const body = lastCompletionBody(h);
    expect(body.n).toBe(3);
    expect(body.temperature).toBeGreaterThan(0);
    // Cycling again at the same position sends nothing.
    expect(await ask(glue.provider, "const x = ", INVOKE)).toEqual(["first();", "second();", "third();"]);
    expect(h.fixture.requestsTo("/v1/completions").length).toBe(before + 1);
    glue.dispose();
  });
});
