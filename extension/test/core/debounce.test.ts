import { AdaptiveDebouncer, BackoffPolicy } from "../../src/core";
import { ManualClock } from "./support/manual-clock";

/** `count` keystrokes `gapMs` apart; returns the delays. */
function typeBurst(clock: ManualClock, d: AdaptiveDebouncer, count: number, gapMs: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    clock.time += gapMs;
    delays.push(d.recordKeystroke());
  }
  return delays;
}

describe("AdaptiveDebouncer", () => {
  test("fast typing grows the delay up to the maximum", () => {
    const clock = new ManualClock();
    const d = new AdaptiveDebouncer({ baseMs: 100, clock });
    const delays = typeBurst(clock, d, 20, 60);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBe(300);
    expect(delays[delays.length - 1]).toBe(300);
  });

  test("an idle pause shrinks it, bounded below", () => {
    const clock = new ManualClock();
    const d = new AdaptiveDebouncer({ baseMs: 100, clock });
    typeBurst(clock, d, 10, 50);
    const high = d.currentDelayMs;
    clock.time += 1_500;
    const afterPause = d.recordKeystroke();
    expect(afterPause).toBeLessThan(high);
    clock.time += 10_000;
    expect(d.recordKeystroke()).toBe(50);
  });

  test("a moderate pause moves the delay back toward the base", () => {
    const clock = new ManualClock();
    const d = new AdaptiveDebouncer({ baseMs: 100, clock });
    typeBurst(clock, d, 20, 50);
    expect(d.currentDelayMs).toBe(300);
    clock.time += 500;
    expect(d.recordKeystroke()).toBe(200); // (300 + 100) / 2
  });

  test("wait resolves true after the delay, false when superseded or aborted", async () => {
    const clock = new ManualClock();
    const d = new AdaptiveDebouncer({ baseMs: 100, clock });
    const first = d.wait();
    clock.time += 10;
    const second = d.wait();
    expect(await first).toBe(false);
    expect(clock.pending).toBe(1);
    clock.advance(d.currentDelayMs);
    expect(await second).toBe(true);

    const controller = new AbortController();
    const third = d.wait(controller.signal);
    controller.abort();
    expect(await third).toBe(false);
    expect(clock.pending).toBe(0);

    const aborted = new AbortController();
    aborted.abort();
    expect(await d.wait(aborted.signal)).toBe(false);
  });
});

describe("BackoffPolicy", () => {
  test("exponential, capped, deterministic; success resets", () => {
    const b = new BackoffPolicy({ initialMs: 1000, maxMs: 8000, factor: 2 });
    expect([1, 2, 3, 4, 5, 6].map((n) => b.delayAfter(n))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(b.canRequest(0)).toBe(true);
    expect(b.recordFailure(0)).toBe(1000);
    expect(b.canRequest(999)).toBe(false);
    expect(b.retryInMs(400)).toBe(600);
    expect(b.canRequest(1000)).toBe(true);
    expect(b.recordFailure(1000)).toBe(3000);
    expect(b.consecutiveFailures).toBe(2);
    b.recordSuccess();
    expect(b.canRequest(1001)).toBe(true);
    expect(b.consecutiveFailures).toBe(0);
  });

  test("a down endpoint polled every 100 ms for a minute gets few requests", () => {
    const b = new BackoffPolicy();
    let requests = 0;
    for (let t = 0; t < 60_000; t += 100) {
      if (!b.canRequest(t)) continue;
      requests++;
      b.recordFailure(t);
    }
    expect(requests).toBeLessThanOrEqual(8);
  });
});
