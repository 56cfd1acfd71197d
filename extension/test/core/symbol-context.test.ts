import { assembleContext, definitionHead, hoverSignature, identifiersNearCursor, planCompletion } from "../../src/core";

describe("identifiersNearCursor", () => {
  const text = [
    "import { computeTotal, TaxRate } from './tax';",
    "export function invoice(items: Item[]) {",
    "  const subtotal = sumPrices(items);",
    "  const total = computeTotal(subtotal, TaxRate.standard);",
    "  return ",
    "}",
  ].join("\n");
  const offset = text.indexOf("return ") + "return ".length;

  test("nearest first; keywords, short names and the word being typed are skipped", () => {
    const names = identifiersNearCursor(text, offset).map((i) => i.name);
    expect(names.slice(0, 4)).toEqual(["standard", "TaxRate", "subtotal", "computeTotal"]);
    expect(names).not.toContain("const");
    expect(names).not.toContain("return");
    expect(names).toContain("sumPrices");
  });

  test("the offset points at an occurrence of the name (where to ask the language server)", () => {
    for (const { name, offset: at } of identifiersNearCursor(text, offset)) expect(text.slice(at, at + name.length)).toBe(name);
  });

  test("the name declared on the cursor's line is not looked up", () => {
    const declaring = "const helper = 1;\nconst fresh = hel";
    expect(identifiersNearCursor(declaring, declaring.length).map((i) => i.name)).toEqual(["helper"]);
  });

  test("at most `max`", () => {
    expect(identifiersNearCursor(text, offset, 2)).toHaveLength(2);
  });
});

describe("definition text", () => {
  test("a long definition keeps its head, cut at a line end", () => {
    const body = Array.from({ length: 200 }, (_, i) => `  line${i};`).join("\n");
    const head = definitionHead(`function f() {\n${body}\n}`, 100);
    expect(head.length).toBeLessThanOrEqual(102);
    expect(head).toMatch(/^function f\(\) \{\n/);
    expect(head.endsWith("\n…")).toBe(true);
  });
  test("a hover's signature is its code block", () => {
    expect(hoverSignature("```typescript\nfunction useState<S>(initial: S): [S, Dispatch<S>]\n```\n---\nReturns a stateful value.")).toBe(
      "function useState<S>(initial: S): [S, Dispatch<S>]",
    );
    expect(hoverSignature("plain words")).toBe("plain words");
  });
});

describe("symbol definitions in the completion context", () => {
  const current = { path: "src/invoice.ts", languageId: "typescript", text: "import { computeTotal } from './tax';\nconst t = " };
  const importedFiles = [{ path: "src/tax.ts", languageId: "typescript", text: "// tax helpers\nexport const A = 1;\n" }];
  const symbols = [
    {
      path: "src/tax.ts",
      languageId: "typescript",
      name: "computeTotal",
      text: "export function computeTotal(subtotal: number, rate: number): number {",
    },
  ];

  test("definitions rank first and replace the heads of imported files", () => {
    const chosen = assembleContext({ current, importedFiles, symbols, budgetChars: 10_000 });
    expect(chosen[0]).toEqual({ path: "src/tax.ts", languageId: "typescript", text: symbols[0].text, kind: "symbol" });
    expect(chosen.some((c) => c.kind === "import")).toBe(false);
  });

  test("without definitions (no language server, or the lookup ran out of time) the heads of imported files are used", () => {
    const chosen = assembleContext({ current, importedFiles, symbols: [], budgetChars: 10_000 });
    expect(chosen.map((c) => c.kind)).toEqual(["import"]);
  });

  test("an excluded definition is never used", () => {
    const chosen = assembleContext({
      current,
      symbols: [{ ...symbols[0], path: ".env" }],
      budgetChars: 10_000,
      isExcluded: (p) => p === ".env",
    });
    expect(chosen).toEqual([]);
  });

  test("the FIM prompt carries the definition and the stop token ids", () => {
    const plan = planCompletion({
      document: { ...current, offset: current.text.length },
      family: "qwen",
      maxModelLen: 8192,
      maxTokens: 64,
      symbols,
      stopTokenIds: [151659, 151660],
    });
    expect(plan.prompt).toContain(`<|file_sep|>src/tax.ts\n${symbols[0].text}`);
    expect(plan.stopTokenIds).toEqual([151659, 151660]);
    expect(plan.contextPaths).toEqual(["src/tax.ts"]);
  });
});
