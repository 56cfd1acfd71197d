/**
 * Load-test progress: a bar redrawn in place on a terminal, plain lines otherwise (CI logs,
 * pipes), so a log never fills with carriage returns.
 */
import { levelLabel, type LevelResult } from "../../core/ops/load-results";
import type { LevelProgress } from "./load-runner";

export interface ProgressView {
  update(p: LevelProgress): void;
  levelDone(result: LevelResult, index: number, total: number): void;
  close(): void;
}

const BAR_WIDTH = 24;

export function progressView(stream: NodeJS.WriteStream): ProgressView {
  return stream.isTTY ? terminalView(stream) : plainView(stream);
}

function fraction(p: LevelProgress): number {
  if (p.total !== undefined) return Math.min(1, p.completed / p.total);
  if (p.durationMs !== undefined) return Math.min(1, p.elapsedMs / p.durationMs);
  return 0;
}

function terminalView(stream: NodeJS.WriteStream): ProgressView {
  let drawn = false;
  return {
    update(p) {
      const filled = Math.round(fraction(p) * BAR_WIDTH);
      const rate = p.elapsedMs > 0 ? (p.completed / p.elapsedMs) * 1000 : 0;
      const line = `${levelLabel(p.level).padEnd(12)} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${p.completed} done, ${p.errors} errors, ${rate.toFixed(0)} req/s`;
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    levelDone(result, index, total) {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
      stream.write(`${doneLine(result, index, total)}\n`);
    },
    close() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}

function plainView(stream: NodeJS.WriteStream): ProgressView {
  return {
    update() {},
    levelDone(result, index, total) {
      stream.write(`${doneLine(result, index, total)}\n`);
    },
    close() {},
  };
}

function doneLine(result: LevelResult, index: number, total: number): string {
  const p50 = result.ttftMs ? `${result.ttftMs.p50} ms` : "-";
  return `level ${index + 1}/${total} ${levelLabel(result.level)}: ${result.requests.ok} ok, ${result.requests.failed} failed, ${result.requestsPerS} req/s, TTFT p50 ${p50}${result.interrupted ? " (stopped)" : ""}`;
}
