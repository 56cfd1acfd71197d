import type { Clock } from "../../../src/core";

/** A clock for tests and the benchmark: time moves only when told to, timers fire in order. */
export class ManualClock implements Clock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    while (this.fireNextDue(target));
    this.time = target;
  }

  /**
   * Moves time forward like {@link advance}, but lets promise continuations run after each
   * timer, so work they schedule (a request after a debounce) fires within the same span.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.time + ms;
    do await flushMicrotasks();
    while (this.fireNextDue(target));
    this.time = target;
  }

  /** Fires the earliest timer due by `target`; false when there is none. */
  private fireNextDue(target: number): boolean {
    const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!due) return false;
    this.timers = this.timers.filter((t) => t !== due);
    this.time = due.at;
    due.fn();
    return true;
  }

  get pending(): number {
    return this.timers.length;
  }
}

/** Lets resolved promises run (after timers fired). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
