import {
  AdaptiveDebouncer,
  BackoffPolicy,
  CompletionController,
  FimVerdicts,
  pathsInToolInput,
  readFileResult,
  searchFiles,
  type CompletionKey,
} from "../../src/core";
import { flushMicrotasks, ManualClock } from "./support/manual-clock";

const key = (prefix: string): CompletionKey => ({ model: "m", prefix, suffix: "\n" });

describe("alternatives (explicit invoke)", () => {
  test("the suggestion already shown comes first, then the sampled ones from ONE request, deduplicated, at most 3", async () => {
    const clock = new ManualClock();
    const controller = new CompletionController({ debounceMs: 100, clock });
    const first = controller.provide(key("x = "), () => Promise.resolve("a()"));
    clock.advance(1_000);
    await first;
    const fetch = jest.fn(() => Promise.resolve(["b()", "a()", "c()", "d()"]));
    const outcome = await controller.provideAlternatives(key("x = "), fetch);
    expect(outcome).toEqual({ source: "network", texts: ["a()", "b()", "c()"] });
    expect(fetch).toHaveBeenCalledTimes(1);
    // Cycling again at the same position: from the cache, no request.
    expect(await controller.provideAlternatives(key("x = "), fetch)).toEqual({ source: "cache", texts: ["a()", "b()", "c()"] });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("no debounce for an explicit gesture; a backed-off endpoint gets no request", async () => {
    const clock = new ManualClock();
    const backoff = new BackoffPolicy();
    backoff.recordFailure(clock.now());
    const controller = new CompletionController({ debounceMs: 100, clock, backoff });
    const fetch = jest.fn(() => Promise.resolve(["b()"]));
    expect(await controller.provideAlternatives(key("y = "), fetch)).toEqual({ source: "skipped", reason: "backoff", texts: [] });
    expect(fetch).not.toHaveBeenCalled();
  });

  test("a failure is reported with whatever was shown", async () => {
    const controller = new CompletionController({ debounceMs: 0 });
    const outcome = await controller.provideAlternatives(key("z = "), () => Promise.reject(new Error("boom")));
    expect(outcome).toMatchObject({ source: "failed", texts: [] });
  });
});

describe("a zero debounce sets no timer", () => {
  test("wait resolves without the clock moving", async () => {
    const clock = new ManualClock();
    const debouncer = new AdaptiveDebouncer({ baseMs: 0, clock });
    let fired: boolean | undefined;
    void debouncer.wait().then((f) => (fired = f));
    await flushMicrotasks();
    expect(fired).toBe(true);
  });
});

describe("FimVerdicts", () => {
  const target = { baseUrl: "http://a/v1", model: "m", fimFamily: "qwen" as const };
  const single = (text: string) => Promise.resolve([text.length]);

  test("checked once per endpoint, model and family; concurrent checks share one; stop ids from the verdict", async () => {
    const verdicts = new FimVerdicts(() => false);
    const tokenize = jest.fn(single);
    const [a, b] = await Promise.all([verdicts.check(target, tokenize), verdicts.check(target, tokenize)]);
    expect(a).toBe(b);
    const calls = tokenize.mock.calls.length;
    await verdicts.check(target, tokenize);
    expect(tokenize.mock.calls.length).toBe(calls);
    expect(verdicts.stopTokenIds(target).length).toBeGreaterThan(0);
    await verdicts.check(target, tokenize, true);
    expect(tokenize.mock.calls.length).toBe(calls * 2);
    verdicts.clear();
    expect(verdicts.get(target)).toBeUndefined();
  });

  test("no tokenize endpoint: kept as unavailable, no stop ids; another failure is not kept", async () => {
    const missing = new Error("no endpoint");
    const verdicts = new FimVerdicts((e) => e === missing);
    expect(await verdicts.check(target, () => Promise.reject(missing))).toEqual({ kind: "unavailable", reason: "no endpoint" });
    expect(verdicts.stopTokenIds(target)).toEqual([]);
    const other = { ...target, model: "n" };
    expect(await verdicts.check(other, () => Promise.reject(new Error("down")))).toBeUndefined();
    expect(verdicts.get(other)).toBeUndefined();
  });
});

describe("workspace tools (pure parts)", () => {
  test("read: numbered lines of the requested range, with what is left", () => {
    const text = Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join("\n");
    expect(readFileResult("a.ts", text, { path: "a.ts", startLine: 3, endLine: 4 })).toBe(
      "a.ts, lines 3-4 of 10:\n3: l3\n4: l4\n(6 more lines: ask for startLine 5)",
    );
  });
  test("search: case-insensitive, path:line: text", () => {
    expect(searchFiles([{ path: "a.ts", text: "const Total = 1;\nother" }], "total")).toBe("a.ts:1: const Total = 1;");
    expect(searchFiles([{ path: "a.ts", text: "x" }], "nope")).toBe('No line contains "nope".');
  });
  test("paths in any tool's input, for the exclusion check", () => {
    expect(pathsInToolInput({ filePath: ".env", options: { uris: ["file:///ws/src/a.ts"] }, query: "hello world" })).toEqual([
      ".env",
      "/ws/src/a.ts",
    ]);
  });
});
