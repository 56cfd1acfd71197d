import { postProcessCompletion, type PostProcessContext } from "../../src/core";

const ctx = (over: Partial<PostProcessContext>): PostProcessContext => ({
  mode: "single-line",
  linePrefix: "",
  lineSuffix: "",
  suffix: "",
  ...over,
});

describe("postProcessCompletion", () => {
  test("empty or whitespace-only results are dropped", () => {
    expect(postProcessCompletion("", ctx({}))).toBeUndefined();
    expect(postProcessCompletion("   \n\t\n", ctx({ mode: "multi-line" }))).toBeUndefined();
  });

  test("trailing whitespace is trimmed on every line and at the end", () => {
    expect(postProcessCompletion("a = 1;   \nb = 2;\t\n\n", ctx({ mode: "multi-line" }))).toBe("a = 1;\nb = 2;");
  });

  test("single-line: the rest of the line is not repeated", () => {
    expect(postProcessCompletion("a, b)", ctx({ linePrefix: "foo(", lineSuffix: ")", suffix: ")\n" }))).toBe("a, b");
    expect(postProcessCompletion('name"]);', ctx({ linePrefix: 'get(["', lineSuffix: '"]);', suffix: '"]);\n' }))).toBe("name");
    // Overlap of closers only: `x])` before `]);` keeps `x`.
    expect(postProcessCompletion("x])", ctx({ linePrefix: "f([", lineSuffix: "]);", suffix: "]);" }))).toBe("x");
  });

  test("single-line: ordinary text that happens to end like the suffix's start is kept", () => {
    expect(postProcessCompletion("a + b", ctx({ linePrefix: "return ", lineSuffix: "b;", suffix: "b;\n" }))).toBe("a + b");
  });

  test("a completion that only repeats the rest of the line is dropped", () => {
    expect(postProcessCompletion(")", ctx({ linePrefix: "foo(", lineSuffix: ")", suffix: ")\n" }))).toBeUndefined();
  });

  test("multi-line: trailing lines that repeat the code after the cursor are removed", () => {
    const suffix = "\n  }\n}\n";
    const raw = "\n    return a + b;\n  }\n}";
    expect(postProcessCompletion(raw, ctx({ mode: "multi-line", linePrefix: "  add(a, b) {", suffix }))).toBe("\n    return a + b;");
  });

  test("multi-line: a completion that is entirely the next lines is dropped", () => {
    const suffix = "\nconst b = 2;\nconst c = 3;\n";
    expect(
      postProcessCompletion("\nconst b = 2;\nconst c = 3;", ctx({ mode: "multi-line", linePrefix: "const a = 1;", suffix })),
    ).toBeUndefined();
  });

  test("multi-line: lines merely similar to the suffix are kept", () => {
    const suffix = "\n}\n";
    expect(postProcessCompletion("\n  x++;\n  y++;", ctx({ mode: "multi-line", linePrefix: "while (1) {", suffix }))).toBe(
      "\n  x++;\n  y++;",
    );
  });

  test("indentation follows the editor: spaces", () => {
    expect(
      postProcessCompletion(
        "\n\tif (x) {\n\t\tgo();\n\t}",
        ctx({ mode: "multi-line", linePrefix: "f() {", insertSpaces: true, tabSize: 2 }),
      ),
    ).toBe("\n  if (x) {\n    go();\n  }");
  });

  test("indentation follows the editor: tabs", () => {
    expect(
      postProcessCompletion("x;\n    y;\n        z;", ctx({ mode: "multi-line", linePrefix: "\t", insertSpaces: false, tabSize: 4 })),
    ).toBe("x;\n\ty;\n\t\tz;");
  });

  test("CRLF documents get CRLF", () => {
    expect(postProcessCompletion("a;\r\nb;\n", ctx({ mode: "multi-line", eol: "\r\n" }))).toBe("a;\r\nb;");
  });
});
