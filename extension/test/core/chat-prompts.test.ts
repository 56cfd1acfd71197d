import {
  buildChatMessages,
  MESSAGE_OVERHEAD_TOKENS,
  estimateTokens,
  buildDocCommentMessages,
  buildEditMessages,
  buildTerminalFailureMessages,
  codeFromReply,
  docCommentStyle,
  editResultFromReply,
  extractCodeBlocks,
  formatDocComment,
  parseFixCommand,
} from "../../src/core";

describe("extractCodeBlocks", () => {
  test("backtick and tilde fences with language tags; unterminated block flagged", () => {
    const md = "Intro\n```ts\nconst a = 1;\n```\ntext\n~~~python\nprint(1)\n~~~\n```sh\nnpm i";
    expect(extractCodeBlocks(md)).toEqual([
      { language: "ts", code: "const a = 1;", complete: true },
      { language: "python", code: "print(1)", complete: true },
      { language: "sh", code: "npm i", complete: false },
    ]);
  });
  test("a longer fence can contain a shorter one", () => {
    expect(extractCodeBlocks("````md\n```js\nx\n```\n````")[0].code).toBe("```js\nx\n```");
  });
  test("codeFromReply takes the first block, or the whole reply without fences", () => {
    expect(codeFromReply("Sure!\n```js\nfoo();\n```\nDone.")).toBe("foo();");
    expect(codeFromReply("\nfoo();\n  ")).toBe("foo();");
  });
});

describe("instruction edit", () => {
  test("messages carry the selection, context and instruction, asking for code only", () => {
    const messages = buildEditMessages({
      instruction: " make it async ",
      selection: "function f() {}",
      languageId: "typescript",
      filePath: "src/a.ts",
      before: "// before\n",
      after: "// after\n",
    });
    expect(messages[0].role).toBe("system");
    expect(messages[0].content).toMatch(/only/);
    const user = messages[1].content;
    expect(user).toContain("File: src/a.ts");
    expect(user).toContain("SELECTED code:\n```typescript\nfunction f() {}\n```");
    expect(user).toContain("// before");
    expect(user).toContain("// after");
    expect(user.endsWith("Instruction: make it async")).toBe(true);
  });
  test("result keeps the selection's indentation and trailing newline", () => {
    expect(editResultFromReply("```ts\nasync function f() {\n  await g();\n}\n```", "  function f() {}\n")).toBe(
      "  async function f() {\n    await g();\n  }\n",
    );
    expect(editResultFromReply("```ts\n  x = 2;\n```", "  x = 1;")).toBe("  x = 2;");
  });
});

describe("chat participant prompts", () => {
  test("references, history and the slash command are all in the messages", () => {
    const messages = buildChatMessages({
      prompt: "why does this throw?",
      command: "fix",
      references: [{ path: "src/a.ts", languageId: "typescript", text: "throw new Error()", range: { startLine: 3, endLine: 4 } }],
      history: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    });
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    const last = messages[3].content;
    expect(last).toContain("Referenced `src/a.ts:3-4`:\n```typescript\nthrow new Error()\n```");
    expect(last).toMatch(/Find the bugs/);
    expect(last.endsWith("why does this throw?")).toBe(true);
  });
  test.each(["explain", "fix", "doc", "tests"] as const)("/%s has its own instruction", (command) => {
    const content = buildChatMessages({ prompt: "", command })[1].content;
    expect(content.length).toBeGreaterThan(20);
    expect(buildChatMessages({ prompt: "", command: command === "fix" ? "tests" : "fix" })[1].content).not.toBe(content);
  });
  test("oldest history is dropped first when over budget", () => {
    const history = [
      { role: "user" as const, content: "a".repeat(50) },
      { role: "assistant" as const, content: "b".repeat(50) },
      { role: "user" as const, content: "c".repeat(50) },
    ];
    // Room for the system prompt, the question and two 50-character turns (17 tokens + 8 overhead each), not three.
    const system = estimateTokens(buildChatMessages({ prompt: "q" })[0].content);
    const messages = buildChatMessages({ prompt: "q", history, maxInputTokens: system + 2 * MESSAGE_OVERHEAD_TOKENS + 1 + 2 * 25 + 10 });
    expect(messages.map((m) => m.content[0])).toEqual(["Y", "b", "c", "q"]);
  });
});

describe("terminal failure", () => {
  test("prompt includes command, exit code, shell and the output tail", () => {
    const output = `${"noise\n".repeat(5000)}npm ERR! missing script: biuld`;
    const [system, user] = buildTerminalFailureMessages(
      { commandLine: "npm run biuld", output, exitCode: 1, shell: "bash", os: "linux" },
      200,
    );
    expect(system.content).toMatch(/exactly one command/);
    expect(system.content).toContain("`bash`");
    expect(user.content).toContain("Command: `npm run biuld`");
    expect(user.content).toContain("Exit code: 1");
    expect(user.content).toContain("npm ERR! missing script: biuld");
    expect(user.content.length).toBeLessThan(400);
  });
  test("parseFixCommand takes the last shell block and strips prompts and comments", () => {
    expect(parseFixCommand("The script is misspelled.\n```bash\n# run this\n$ npm run build\n```")).toBe("npm run build");
    expect(parseFixCommand("```json\n{}\n```\n```sh\nls\n```\n```sh\nnpm ci\n```")).toBe("npm ci");
    expect(parseFixCommand("```powershell\nPS C:\\> Get-ChildItem\n```")).toBe("Get-ChildItem");
    expect(parseFixCommand("No block here")).toBeUndefined();
    expect(parseFixCommand("```python\nprint(1)\n```")).toBeUndefined();
    expect(parseFixCommand("```sh\nnpm i")).toBeUndefined(); // unterminated: not proposed
  });
});

describe("doc comments", () => {
  test.each([
    ["typescript", "JSDoc", "above"],
    ["python", "docstring (PEP 257)", "inside"],
    ["rust", "rustdoc", "above"],
    ["go", "GoDoc", "above"],
    ["java", "Javadoc", "above"],
    ["csharp", "XML doc comments", "above"],
    ["unknown-lang", "block comment", "above"],
  ])("%s → %s (%s)", (languageId, name, placement) => {
    expect(docCommentStyle(languageId)).toMatchObject({ name, placement });
  });
  test("messages name the style and give the symbol", () => {
    const [system, user] = buildDocCommentMessages({ languageId: "rust", symbolText: "fn add(a: i32) -> i32 { a }", symbolName: "add" });
    expect(system.content).toContain("rustdoc");
    expect(system.content).toContain("/// Sums two numbers.");
    expect(user.content).toContain("Document `add`");
    expect(user.content).toContain("```rust\nfn add");
  });
  test("formatDocComment strips fences and re-indents", () => {
    expect(formatDocComment("```ts\n  /**\n   * Adds.\n   */\n```", "    ")).toBe("    /**\n     * Adds.\n     */\n");
    expect(formatDocComment('"""Adds two numbers."""', "    ")).toBe('    """Adds two numbers."""\n');
    expect(formatDocComment("```\n\n```", "")).toBeUndefined();
  });
});
