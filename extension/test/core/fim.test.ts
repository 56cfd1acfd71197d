import { buildFimPrompt, FIM_FAMILIES, fimStopTokens, guessFimFamily, type ContextSnippet, type FimFamily } from "../../src/core";

const prefix = "def add(a, b):\n    ";
const suffix = "\n\nprint(add(1, 2))\n";

describe("FIM templates: exact prompt per family", () => {
  const expected: Record<FimFamily, string> = {
    qwen: `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
    deepseek: `<｜fim▁begin｜>${prefix}<｜fim▁hole｜>${suffix}<｜fim▁end｜>`,
    starcoder: `<fim_prefix>${prefix}<fim_suffix>${suffix}<fim_middle>`,
    codestral: `[SUFFIX]${suffix}[PREFIX]${prefix}`,
    codellama: `<PRE> ${prefix} <SUF>${suffix} <MID>`,
  };
  test.each(FIM_FAMILIES.map((f) => [f]))("%s", (family) => {
    expect(buildFimPrompt(family, { prefix, suffix }).prompt).toBe(expected[family]);
  });

  test("DeepSeek uses full-width bars and ▁, not ASCII look-alikes", () => {
    const { prompt } = buildFimPrompt("deepseek", { prefix: "", suffix: "" });
    expect(prompt).toBe("<\uff5cfim\u2581begin\uff5c><\uff5cfim\u2581hole\uff5c><\uff5cfim\u2581end\uff5c>");
  });
});

describe("FIM stop tokens", () => {
  test.each<[FimFamily, string[]]>([
    [
      "qwen",
      [
        "<|endoftext|>",
        "<|fim_prefix|>",
        "<|fim_suffix|>",
        "<|fim_middle|>",
        "<|fim_pad|>",
        "<|repo_name|>",
        "<|file_sep|>",
        "<|im_start|>",
        "<|im_end|>",
      ],
    ],
    ["deepseek", ["<｜end▁of▁sentence｜>", "<|EOT|>", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"]],
    ["starcoder", ["<|endoftext|>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<fim_pad>", "<file_sep>", "<repo_name>"]],
    ["codestral", ["</s>", "[PREFIX]", "[SUFFIX]", "[MIDDLE]"]],
    ["codellama", ["<EOT>", "</s>", "<PRE>", "<SUF>", "<MID>"]],
  ])("%s", (family, stop) => {
    expect(fimStopTokens(family)).toEqual(stop);
    expect(buildFimPrompt(family, { prefix: "", suffix: "" }).stop).toEqual(stop);
  });

  test("the returned stop list is a copy (callers may extend it)", () => {
    buildFimPrompt("qwen", { prefix: "", suffix: "" }).stop.push("\n");
    expect(fimStopTokens("qwen")).not.toContain("\n");
  });
});

describe("FIM with context from other files", () => {
  const context: ContextSnippet[] = [{ path: "src/util.py", languageId: "python", text: "def helper():\n    return 1", kind: "import" }];
  const input = { prefix: "x = ", suffix: "\n", filePath: "src/main.py", languageId: "python", repoName: "demo", context };

  test("Qwen: repo-level format with <|repo_name|> and <|file_sep|> headers", () => {
    expect(buildFimPrompt("qwen", input).prompt).toBe(
      "<|repo_name|>demo\n<|file_sep|>src/util.py\ndef helper():\n    return 1\n<|file_sep|>src/main.py\n<|fim_prefix|>x = <|fim_suffix|>\n<|fim_middle|>",
    );
  });

  test("StarCoder2: <repo_name>, <file_sep> and the current path right after <fim_prefix>", () => {
    expect(buildFimPrompt("starcoder", input).prompt).toBe(
      "<repo_name>demo<file_sep>src/util.py\ndef helper():\n    return 1<file_sep><fim_prefix>src/main.py\nx = <fim_suffix>\n<fim_middle>",
    );
  });

  test("families without file tokens get comment headers in each file's language", () => {
    const header = "# Path: src/util.py\ndef helper():\n    return 1\n\n# Path: src/main.py\n";
    expect(buildFimPrompt("deepseek", input).prompt).toBe(`<｜fim▁begin｜>${header}x = <｜fim▁hole｜>\n<｜fim▁end｜>`);
    expect(buildFimPrompt("codestral", input).prompt).toBe(`[SUFFIX]\n[PREFIX]${header}x = `);
    expect(buildFimPrompt("codellama", input).prompt).toBe(`<PRE> ${header}x =  <SUF>\n <MID>`);
    const ts = buildFimPrompt("deepseek", {
      ...input,
      languageId: "typescript",
      context: [{ ...context[0], path: "a.ts", languageId: "typescript" }],
    });
    expect(ts.prompt).toContain("// Path: a.ts\n");
  });
});

describe("guessFimFamily (fallback for manual setups)", () => {
  test.each([
    ["Qwen/Qwen2.5-Coder-7B", "qwen"],
    ["qwen2.5-coder-7b", "qwen"],
    ["deepseek-ai/deepseek-coder-6.7b-base", "deepseek"],
    ["DeepSeek-Coder-V2-Lite-Base", "deepseek"],
    ["deepseek-r1-distill-qwen-7b", "qwen"],
    ["bigcode/starcoder2-15b", "starcoder"],
    ["mistralai/Codestral-22B-v0.1", "codestral"],
    ["codellama/CodeLlama-7b-hf", "codellama"],
    ["code-llama-13b", "codellama"],
    ["team-coder", undefined],
    ["gpt-4o", undefined],
  ])("%s → %s", (name, family) => {
    expect(guessFimFamily(name)).toBe(family);
  });
});
