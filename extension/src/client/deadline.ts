/**
 * A request's abort signal: fires when the caller aborts or when `ms` pass without `touch()`
 * (an idle deadline: streams call it on every chunk). Our own timer, rather than the SDK's,
 * so a timeout is told apart from a cancellation reliably.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(
    private readonly ms: number,
    private readonly outer?: AbortSignal,
  ) {
    if (outer?.aborted) this.controller.abort();
    outer?.addEventListener("abort", this.onOuterAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True when the deadline, not the caller, ended the request. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** True when the caller aborted. */
  get cancelled(): boolean {
    return this.outer?.aborted === true;
  }

  /** Restarts the idle timer. */
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, this.ms);
  }

  /** Stops the timer and aborts whatever is still open (closing the HTTP request). */
  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener("abort", this.onOuterAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }
}
