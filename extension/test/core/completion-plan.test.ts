import { createAccumulator, cursorLine, finishCompletion, planCompletion, type CompletionRequestInput } from "../../src/core";

function at(text: string, marker = "|"): { text: string; offset: number } {
  const offset = text.indexOf(marker);
  return { text: text.slice(0, offset) + text.slice(offset + marker.length), offset };
}

function input(doc: { text: string; offset: number }, over: Partial<CompletionRequestInput> = {}): CompletionRequestInput {
  return { document: { path: "src/main.ts", languageId: "typescript", ...doc }, family: "qwen", maxModelLen: 8192, maxTokens: 64, ...over };
}

describe("cursorLine", () => {
  test("splits the cursor's line, CRLF aware", () => {
    const doc = at("a\r\nfoo(|bar)\r\nz");
    expect(cursorLine(doc.text, doc.offset)).toEqual({ linePrefix: "foo(", lineSuffix: "bar)" });
  });
});

describe("planCompletion", () => {
  test("mid-line → single-line request that also stops at a newline", () => {
    const plan = planCompletion(input(at("const total = items.|length;\n")));
    expect(plan.mode).toBe("single-line");
    expect(plan.stop).toContain("\n");
    expect(plan.prompt).toBe("<|fim_prefix|>const total = items.<|fim_suffix|>length;\n<|fim_middle|>");
  });

  test("after a block opener → multi-line, no newline stop", () => {
    const plan = planCompletion(input(at("function f() {|\n}\n")));
    expect(plan.mode).toBe("multi-line");
    expect(plan.stop).not.toContain("\n");
  });

  test("a big file is trimmed to the model's max length", () => {
    const body = Array.from({ length: 5000 }, (_, i) => `const v${i} = ${i};`).join("\n");
    const doc = { text: `${body}\n`, offset: Math.floor(body.length / 2) };
    const plan = planCompletion(input(doc, { maxModelLen: 1024, maxTokens: 128 }));
    expect(plan.promptTokens).toBeLessThanOrEqual(1024 - 128);
    expect(doc.text.slice(0, doc.offset).endsWith(plan.prefix)).toBe(true);
    expect(doc.text.slice(doc.offset).startsWith(plan.suffix)).toBe(true);
  });

  test("context from other files is included with headers, and excluded files never are", () => {
    const plan = planCompletion(
      input(at('import { helper } from "./helper";\nhelper(|);\n'), {
        openFiles: [
          { path: "src/helper.ts", languageId: "typescript", text: "export function helper(n: number) {}\n" },
          { path: ".env", languageId: "dotenv", text: "API_KEY=sk-live-123\n" },
        ],
        isExcluded: (p) => p === ".env",
        repoName: "demo",
      }),
    );
    expect(plan.contextPaths).toEqual(["src/helper.ts"]);
    expect(plan.prompt.startsWith("<|repo_name|>demo\n<|file_sep|>src/helper.ts\nexport function helper")).toBe(true);
    expect(plan.prompt).toContain("<|file_sep|>src/main.ts\n<|fim_prefix|>");
    expect(plan.prompt).not.toContain("sk-live-123");
  });

  test("stream → early stop → post-processing, end to end", () => {
    const plan = planCompletion(input(at("class A {\n  add(a: number, b: number) {|\n  }\n}\n")));
    const acc = createAccumulator(plan);
    const stream = ["\n    return", " a + b;\n", "  }\n", "\n  sub() {}\n"];
    let stoppedAfter = -1;
    for (let i = 0; i < stream.length && stoppedAfter < 0; i++) if (acc.push(stream[i])) stoppedAfter = i;
    expect(stoppedAfter).toBe(2);
    // The closing brace the model wrote is already in the document: post-processing drops it.
    expect(finishCompletion(plan, acc.finish(), { insertSpaces: true, tabSize: 2 })).toBe("\n    return a + b;");
  });
});
