import { BackoffPolicy, CompletionController, type CompletionKey, type ProvideOutcome } from "../../src/core";
import { flushMicrotasks, ManualClock } from "./support/manual-clock";

const key = (prefix: string): CompletionKey => ({ model: "m", prefix, suffix: "\n" });

function setup(backoff?: BackoffPolicy) {
  const clock = new ManualClock();
  const controller = new CompletionController({ debounceMs: 100, clock, backoff });
  return { clock, controller };
}

/** Starts provide, lets the debounce elapse, and returns the outcome. */
async function provideAfterDebounce(
  clock: ManualClock,
  controller: CompletionController,
  k: CompletionKey,
  fetch: (s: AbortSignal) => Promise<string | undefined>,
): Promise<ProvideOutcome> {
  const pending = controller.provide(k, fetch);
  clock.advance(1_000);
  await flushMicrotasks();
  return pending;
}

describe("CompletionController", () => {
  test("first request goes to the network after the debounce and is cached", async () => {
    const { clock, controller } = setup();
    const outcome = await provideAfterDebounce(clock, controller, key("const x = "), async () => "compute();");
    expect(outcome).toMatchObject({ source: "network", text: "compute();" });
    expect(controller.requests).toBe(1);
    expect(await controller.provide(key("const x = "), async () => "other")).toEqual({
      source: "cache",
      text: "compute();",
      kind: "exact",
    });
  });

  test("typing along the suggestion sends no request", async () => {
    const { clock, controller } = setup();
    await provideAfterDebounce(clock, controller, key("const x = "), async () => "compute();");
    const fetch = jest.fn(async () => "never");
    for (const typed of ["c", "co", "com", "comp"]) {
      const outcome = await controller.provide(key(`const x = ${typed}`), fetch);
      expect(outcome).toMatchObject({ source: "cache", kind: "type-through", text: "compute();".slice(typed.length) });
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(controller.requests).toBe(1);
  });

  test("a newer keystroke supersedes the pending one: one request for a burst", async () => {
    const { clock, controller } = setup();
    const fetch = jest.fn(async () => "x");
    const first = controller.provide(key("a"), fetch);
    clock.advance(20);
    const second = controller.provide(key("ab"), fetch);
    clock.advance(2_000);
    await flushMicrotasks();
    expect(await first).toEqual({ source: "skipped", reason: "superseded" });
    expect((await second).source).toBe("network");
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("a newer request aborts the in-flight one", async () => {
    const { clock, controller } = setup();
    let firstSignal: AbortSignal | undefined;
    const slow = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        firstSignal = signal;
        signal.addEventListener("abort", () => reject(new Error("aborted")));
      });
    const first = controller.provide(key("a"), slow);
    clock.advance(1_000);
    await flushMicrotasks();
    expect(firstSignal?.aborted).toBe(false);
    const second = provideAfterDebounce(clock, controller, key("ab"), async () => "b");
    expect(await first).toEqual({ source: "skipped", reason: "cancelled" });
    expect(firstSignal?.aborted).toBe(true);
    expect((await second).source).toBe("network");
    // An abort is not a failure of the endpoint.
    expect(controller.backoff.consecutiveFailures).toBe(0);
  });

  test("the caller's cancellation aborts the request", async () => {
    const { clock, controller } = setup();
    const token = new AbortController();
    const pending = controller.provide(
      key("a"),
      async (signal) => {
        token.abort();
        await flushMicrotasks();
        if (signal.aborted) throw new Error("aborted");
        return "late";
      },
      token.signal,
    );
    clock.advance(1_000);
    await flushMicrotasks();
    expect(await pending).toEqual({ source: "skipped", reason: "cancelled" });
  });

  test("failures back off: no request storm against a down endpoint", async () => {
    const { clock, controller } = setup(new BackoffPolicy({ initialMs: 5_000, maxMs: 60_000 }));
    const down = jest.fn(async () => {
      throw new Error("ECONNREFUSED");
    });
    const failed = await provideAfterDebounce(clock, controller, key("a"), down);
    expect(failed).toMatchObject({ source: "failed", retryInMs: 5_000 });
    const skipped = await controller.provide(key("ab"), down);
    expect(skipped).toEqual({ source: "skipped", reason: "backoff" });
    expect(down).toHaveBeenCalledTimes(1);
    clock.advance(5_000);
    expect((await provideAfterDebounce(clock, controller, key("abc"), async () => "ok")).source).toBe("network");
    expect(controller.backoff.consecutiveFailures).toBe(0);
  });
});
