import { estimateTokens, keepHead, keepTail, promptBudgetTokens, trimPrefixSuffix } from "../../src/core";

describe("token budget", () => {
  test("estimate is conservative (3 chars per token, rounded up)", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abc")).toBe(1);
    expect(estimateTokens("abcd")).toBe(2);
  });

  test("budget = max model length − new tokens − template overhead, optionally capped", () => {
    expect(promptBudgetTokens(2048, 128)).toBe(2048 - 128 - 32);
    expect(promptBudgetTokens(32768, 128, 4096)).toBe(4096);
    expect(promptBudgetTokens(100, 128)).toBe(0);
  });
});

describe("keepTail / keepHead cut at line boundaries", () => {
  const text = "line1\nline2\nline3\n";
  test("tail starts at a line start", () => {
    expect(keepTail(text, 8)).toBe("line3\n");
    expect(keepTail(text, 12)).toBe("line2\nline3\n");
    expect(keepTail(text, 100)).toBe(text);
    expect(keepTail(text, 0)).toBe("");
  });
  test("head ends after a newline", () => {
    expect(keepHead(text, 8)).toBe("line1\n");
    expect(keepHead(text, 12)).toBe("line1\nline2\n");
    expect(keepHead(text, 0)).toBe("");
  });
  test("a single line longer than the budget keeps a raw cut rather than nothing", () => {
    expect(keepTail("abcdefghij", 4)).toBe("ghij");
    expect(keepHead("abcdefghij", 4)).toBe("abcd");
  });
});

describe("trimPrefixSuffix at a small max length", () => {
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, "0")}`).join("\n");
  const prefix = `${lines(100, "p")}\n    ret`; // cursor mid-line
  const suffix = `urn x\n${lines(100, "s")}\n`;

  test("fits everything when under budget", () => {
    expect(trimPrefixSuffix("a\nb", "c\nd", 10)).toEqual({ prefix: "a\nb", suffix: "c\nd" });
  });

  test("keeps the prefix end and suffix start, whole lines, within the budget", () => {
    const maxModelLen = 160;
    const maxTokens = 32;
    const budget = promptBudgetTokens(maxModelLen, maxTokens);
    const out = trimPrefixSuffix(prefix, suffix, budget);
    expect(out.prefix.length + out.suffix.length).toBeLessThanOrEqual(budget * 3);
    expect(estimateTokens(out.prefix + out.suffix)).toBeLessThanOrEqual(budget);
    // The cursor's line survives; the cut is at line starts (prefix) and line ends (suffix).
    expect(out.prefix.endsWith("\n    ret")).toBe(true);
    expect(out.prefix).toMatch(/^p\d{3}\n/);
    expect(out.suffix.startsWith("urn x\n")).toBe(true);
    expect(out.suffix.endsWith("\n")).toBe(true);
    // The prefix gets the larger share (suffix ≤ 25% unless the prefix is short).
    expect(out.suffix.length).toBeLessThanOrEqual(Math.floor(budget * 3 * 0.25));
    expect(out.prefix.length).toBeGreaterThan(out.suffix.length);
  });

  test("a short prefix leaves its unused share to the suffix", () => {
    const out = trimPrefixSuffix("x = ", suffix, 100);
    expect(out.prefix).toBe("x = ");
    expect(out.suffix.length).toBeGreaterThan(100 * 3 * 0.25);
    expect(out.prefix.length + out.suffix.length).toBeLessThanOrEqual(300);
  });
});
