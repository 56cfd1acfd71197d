/**
 * Runs one load level: closed loop (N clients, each sending its next request when the previous
 * one ends) or open loop (Poisson arrivals at a rate, sent whatever the answers; latency counts
 * from the scheduled arrival so a slow server cannot hide its queue). Bounded by a request count
 * or a duration; every request has its timeout, so a level always ends.
 */
import { performance } from "node:perf_hooks";
import { poissonArrivals } from "../../core/ops/arrivals";
import { LevelAccumulator, type LevelResult, type LoadLevel } from "../../core/ops/load-results";
import type { SeededRandom } from "../../core/ops/random";
import type { WorkloadRequest } from "../../core/ops/workload";
import { sendStreamed, type Cancellation, type StreamTarget } from "./stream-request";

/** Open loop: arrivals beyond this many requests in flight are counted as `backlog`, not sent. */
export const MAX_IN_FLIGHT = 4096;

/** Open loop: requests sent back to back before reading what has arrived. */
const YIELD_EVERY = 16;

export interface LevelPlan {
  level: LoadLevel;
  /** Cycled through in order. */
  requests: readonly WorkloadRequest[];
  /** Stop issuing after this many requests… */
  count?: number;
  /** …or after this many milliseconds. */
  durationMs?: number;
  timeoutMs: number;
  random: SeededRandom;
}

export interface LevelProgress {
  level: LoadLevel;
  completed: number;
  errors: number;
  elapsedMs: number;
  /** Requests the level will send, when bounded by count. */
  total?: number;
  durationMs?: number;
}

export async function runLevel(
  target: StreamTarget,
  plan: LevelPlan,
  cancellation: Cancellation,
  onProgress: (p: LevelProgress) => void = () => undefined,
): Promise<LevelResult> {
  const acc = new LevelAccumulator(plan.level);
  const start = performance.now();
  const deadline = plan.durationMs === undefined ? Infinity : start + plan.durationMs;
  const count = plan.count ?? Infinity;
  let lastDone = start;
  const progress = () =>
    onProgress({
      level: plan.level,
      completed: acc.completed,
      errors: acc.errorCount,
      elapsedMs: performance.now() - start,
      total: plan.count,
      durationMs: plan.durationMs,
    });
  const ticker = setInterval(progress, 200);
  const record = (outcome: Awaited<ReturnType<typeof sendStreamed>>) => {
    acc.add(outcome);
    if (outcome.ok !== "cancelled") lastDone = performance.now();
  };
  try {
    if (plan.level.mode === "concurrency") {
      let issued = 0;
      const client = async () => {
        while (!cancellation.cancelled && issued < count && performance.now() < deadline) {
          const request = plan.requests[issued++ % plan.requests.length];
          record(await sendStreamed(target, request, performance.now(), plan.timeoutMs, cancellation));
        }
      };
      await Promise.all(Array.from({ length: plan.level.value }, client));
    } else {
      await openLoop(target, plan, cancellation, start, record);
    }
  } finally {
    clearInterval(ticker);
  }
  progress();
  return acc.result((lastDone - start) / 1000, cancellation.cancelled);
}

async function openLoop(
  target: StreamTarget,
  plan: LevelPlan,
  cancellation: Cancellation,
  start: number,
  record: (outcome: Awaited<ReturnType<typeof sendStreamed>>) => void,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  let sinceYield = 0;
  for (const at of poissonArrivals(plan.level.value, plan.random, plan.durationMs, plan.count)) {
    const due = start + at;
    const wait = due - performance.now();
    if (wait > 1) {
      sinceYield = 0;
      await sleep(wait);
    } else if (++sinceYield >= YIELD_EVERY) {
      // Arrivals closer than a timer tick (or a generator behind schedule) must still let
      // answers in: without a yield no response would be read until the level's end.
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (cancellation.cancelled) break;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      record({ ok: false, kind: "backlog" });
      continue;
    }
    const request = plan.requests[issued++ % plan.requests.length];
    // Late: latency counts from the arrival it was due at. Early (within a timer tick): from now.
    const sent: Promise<void> = sendStreamed(target, request, Math.min(due, performance.now()), plan.timeoutMs, cancellation).then(
      (outcome) => {
        record(outcome);
        inFlight.delete(sent);
      },
    );
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
