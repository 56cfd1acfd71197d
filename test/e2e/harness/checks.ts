/**
 * A tiny check runner for the e2e suite: runs named checks in order, keeps going after a
 * failure, takes a screenshot of each failure, and ends with the line `N passed, N failed`.
 */
export interface CheckResult {
  name: string;
  status: "passed" | "failed" | "skipped";
  ms: number;
  detail?: string;
}

export class CheckSuite {
  readonly results: CheckResult[] = [];

  /** `onFailure` runs after a failed check (a screenshot); it returns what to print with it. */
  constructor(private readonly onFailure: (name: string) => Promise<string | undefined> = async () => undefined) {}

  async check(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.record({ name, status: "passed", ms: Date.now() - started });
      return true;
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const evidence = await this.onFailure(name).catch((e: unknown) => `no screenshot: ${String(e)}`);
      this.record({ name, status: "failed", ms: Date.now() - started, detail: evidence ? `${message}\n${evidence}` : message });
      return false;
    }
  }

  skip(name: string, reason: string): void {
    this.record({ name, status: "skipped", ms: 0, detail: reason });
  }

  get failed(): number {
    return this.count("failed");
  }

  /** The process's exit code: 1 when any check failed. */
  get exitCode(): number {
    return this.failed > 0 ? 1 : 0;
  }

  /** The closing line CI reads. */
  summary(): string {
    const skipped = this.count("skipped");
    return `${this.count("passed")} passed, ${this.failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
  }

  private count(status: CheckResult["status"]): number {
    return this.results.filter((r) => r.status === status).length;
  }

  private record(result: CheckResult): void {
    this.results.push(result);
    const mark = result.status === "passed" ? "ok  " : result.status === "failed" ? "FAIL" : "skip";
    const timing = result.status === "skipped" ? "" : ` (${(result.ms / 1000).toFixed(1)} s)`;
    process.stdout.write(`${mark} ${result.name}${timing}\n`);
    if (result.detail) process.stdout.write(`${indent(result.detail)}\n`);
  }
}

/** Runs a suite's `main` as the process: exits with its code, or 1 with the summary line CI reads if it throws. */
export function runAsProcess(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      console.log("0 passed, 1 failed");
      process.exit(1);
    },
  );
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `     ${line}`)
    .join("\n");
}
