/**
 * The FIM marker check of core/contract/fim.ts (shared by the extension and the kit's doctor),
 * against the fixture's toy tokenizer: markers that are special tokens pass; markers the
 * tokenizer reads as text are named, with what to change.
 */
import { FIM_SPECS, tokenizeRequest, tokenizeResponseSchema, verifyFimMarkers, type Tokenize } from "../../core/contract/fim";
import { FIM_FAMILIES, type FimFamily } from "../../core/contract/outputs";
import { toySpecialId, toyTokenize } from "../fixtures/vllm/toy-tokenizer";

const tokenizer = (splitFamilies: FimFamily[] = []): Tokenize & { calls: string[] } => {
  const calls: string[] = [];
  const tokenize = (text: string) => {
    calls.push(text);
    return Promise.resolve(toyTokenize(text, { addSpecialTokens: false, splitFamilies }));
  };
  return Object.assign(tokenize, { calls });
};

describe("verifyFimMarkers", () => {
  test.each(FIM_FAMILIES.map((f) => [f]))("%s: every marker is one token; stop token ids are the special ids", async (family) => {
    const verdict = await verifyFimMarkers(family, tokenizer());
    expect(verdict.ok).toBe(true);
    expect(verdict.split).toEqual([]);
    const expectedIds = [...new Set([...Object.values(FIM_SPECS[family].markers), ...FIM_SPECS[family].stop].map((m) => toySpecialId(m)))];
    expect([...verdict.stopTokenIds].sort()).toEqual([...expectedIds].sort());
    expect(verdict.markers.find((m) => m.marker === FIM_SPECS[family].markers.prefix)).toMatchObject({ role: "prefix", single: true });
    expect(verdict.message).toContain("single tokens");
  });

  test("a tokenizer that splits the markers: which marker, into how many tokens, and the family that fits", async () => {
    const verdict = await verifyFimMarkers("codestral", tokenizer(["codestral"]));
    expect(verdict.ok).toBe(false);
    expect(verdict.split.map((s) => s.marker)).toEqual(["[PREFIX]", "[SUFFIX]"]);
    expect(verdict.split[0].tokenIds).toHaveLength(3); // "[", "PREFIX", "]"
    expect(verdict.message).toContain('"[PREFIX]" into 3 tokens');
    // The toy tokenizer knows every other family's markers: the message names one to switch to.
    expect(verdict.matchingFamilies).toEqual(["qwen", "deepseek", "starcoder", "codellama"]);
    expect(verdict.message).toContain("set the model's FIM family (fimTemplate) to qwen");
    expect(verdict.stopTokenIds).not.toContain(undefined);
  });

  test("when no family fits, the message says what to check, with the tokenizer-mode hint for Codestral", async () => {
    const verdict = await verifyFimMarkers("codestral", tokenizer([...FIM_FAMILIES]));
    expect(verdict.ok).toBe(false);
    expect(verdict.matchingFamilies).toEqual([]);
    expect(verdict.stopTokenIds).toEqual([]);
    expect(verdict.message).toMatch(/FIM-trained codestral model/);
    expect(verdict.message).toContain("--tokenizer-mode hf");
    const qwen = await verifyFimMarkers("qwen", tokenizer([...FIM_FAMILIES]));
    expect(qwen.message).not.toContain("--tokenizer-mode");
  });

  test("a split stop string that the template never writes does not fail the check; its id is not a stop id", async () => {
    const tokenize: Tokenize = (text) => Promise.resolve(text === "<|EOT|>" ? [5, 6, 7] : toyTokenize(text, { addSpecialTokens: false }));
    const verdict = await verifyFimMarkers("deepseek", tokenize);
    expect(verdict.ok).toBe(true);
    expect(verdict.markers.find((m) => m.marker === "<|EOT|>")).toMatchObject({ role: "stop", single: false });
    expect(verdict.stopTokenIds).not.toContain(5);
  });

  test("the other families are tokenized only when the family's own markers split", async () => {
    const ok = tokenizer();
    await verifyFimMarkers("qwen", ok);
    expect(new Set(ok.calls)).toEqual(new Set([...Object.values(FIM_SPECS.qwen.markers), ...FIM_SPECS.qwen.stop]));
  });

  test("a tokenize failure propagates (no verdict without the server's answer)", async () => {
    await expect(verifyFimMarkers("qwen", async () => Promise.reject(new Error("unreachable")))).rejects.toThrow("unreachable");
  });
});

describe("vLLM tokenize request and response shapes", () => {
  test("the request tokenizes the text alone, without BOS", () => {
    expect(tokenizeRequest("m", "<|fim_prefix|>")).toEqual({ model: "m", prompt: "<|fim_prefix|>", add_special_tokens: false });
  });

  test("the response schema takes vLLM's fields and ignores extra ones", () => {
    expect(tokenizeResponseSchema.parse({ count: 1, max_model_len: 4096, tokens: [42], token_strs: null })).toEqual({
      count: 1,
      max_model_len: 4096,
      tokens: [42],
    });
    expect(tokenizeResponseSchema.safeParse({ count: 1, tokens: ["a"] }).success).toBe(false);
  });
});
