import { CompletionStreamAccumulator, decideCompletionMode, type CompletionMode } from "../../src/core";

describe("decideCompletionMode", () => {
  test.each<[string, string, CompletionMode]>([
    ["    ", "", "multi-line"], // line start (indented)
    ["", "", "multi-line"],
    ["function f() {", "", "multi-line"], // after a block opener
    ["def f(x):", "", "multi-line"],
    ["const f = () =>", "", "multi-line"],
    ["items.forEach(", ")", "multi-line"], // only closers after the cursor
    ["const x = ", "", "single-line"], // mid-statement at line end
    ["foo(", "bar)", "single-line"], // mid-line
    ["return a", " + b;", "single-line"],
  ])("%j | %j → %s", (linePrefix, lineSuffix, mode) => {
    expect(decideCompletionMode(linePrefix, lineSuffix)).toBe(mode);
  });
});

function feed(acc: CompletionStreamAccumulator, text: string, chunk = 3): { stoppedAt: number | undefined } {
  for (let i = 0; i < text.length; i += chunk) {
    if (acc.push(text.slice(i, i + chunk))) return { stoppedAt: i + chunk };
  }
  return { stoppedAt: undefined };
}

describe("CompletionStreamAccumulator", () => {
  test("single-line stops at the first newline, before the rest arrives", () => {
    const acc = new CompletionStreamAccumulator({ mode: "single-line", linePrefix: "const x = " });
    const { stoppedAt } = feed(acc, "compute(1, 2);\nconst y = 3;\nconst z = 4;\n");
    expect(acc.text).toBe("compute(1, 2);");
    expect(stoppedAt).toBeLessThan(20);
    expect(acc.stopped).toBe(true);
    expect(acc.push("more")).toBe(true);
    expect(acc.text).toBe("compute(1, 2);");
  });

  test("multi-line after an opener stops at the closing bracket at the opener's indentation", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "  function f() {" });
    const { stoppedAt } = feed(
      acc,
      "\n    const a = 1;\n    if (a) {\n      go();\n    }\n    return a;\n  }\n\n  function g() {\n    nope();\n  }\n",
    );
    expect(acc.text).toBe("\n    const a = 1;\n    if (a) {\n      go();\n    }\n    return a;\n  }");
    expect(stoppedAt).toBeDefined();
  });

  test("Python block ends at the first dedented line, which is not included", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "def f(x):" });
    feed(acc, "\n    y = x * 2\n\n    return y\nprint(f(2))\n");
    expect(acc.text).toBe("\n    y = x * 2\n\n    return y");
  });

  test("at a line start, a dedent below the cursor's indentation ends the completion", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "    " });
    feed(acc, "const a = 1;\n    return a;\n}\n\nfunction next() {}\n");
    expect(acc.text).toBe("const a = 1;\n    return a;");
  });

  test("at a line start, a new statement after a blank line ends the completion", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "" });
    feed(acc, "import a from 'a';\nimport b from 'b';\n\nexport function main() {\n}\n");
    expect(acc.text).toBe("import a from 'a';\nimport b from 'b';\n");
  });

  test("tabs count as tab-size columns", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "\tif (x) {", tabSize: 4 });
    feed(acc, "\n        go();\n\t}\nafter();\n");
    expect(acc.text).toBe("\n        go();\n\t}");
  });

  test("finish() judges the unterminated last line", () => {
    const acc = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "def f():" });
    acc.push("\n    return 1\nx = 2");
    expect(acc.stopped).toBe(false);
    expect(acc.finish()).toBe("\n    return 1");
    const plain = new CompletionStreamAccumulator({ mode: "multi-line", linePrefix: "def f():" });
    plain.push("\n    return 1");
    expect(plain.finish()).toBe("\n    return 1");
  });
});
