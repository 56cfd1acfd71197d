/**
 * The load test's closing table and its verdict against the SLO, for the terminal. The same
 * numbers are in results.json and the report.
 */
import { errorPercent, levelLabel, type LevelResult, type LoadTestResults, type SloTargets } from "./load-results";

function ms(value: number | undefined): string {
  if (value === undefined) return "-";
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
}

/** One line saying what the run is measured against. */
export function sloLine(slo: SloTargets): string {
  return `SLO (${slo.source}): availability ${slo.availabilityPercent} % of /v1 requests succeed; completion time to first token p95 ≤ ${slo.completionTtftP95Ms} ms`;
}

/** How one level compares to the SLO: the latency target applies to FIM (completion) workloads only. */
export function sloVerdict(result: LevelResult, slo: SloTargets, workload: "fim" | "chat"): string {
  const parts: string[] = [];
  const budget = 100 - slo.availabilityPercent;
  const errors = errorPercent(result);
  parts.push(errors <= budget ? "availability ok" : `availability MISSED (${errors.toFixed(2)} % errors > ${budget.toFixed(2)} %)`);
  if (workload === "fim" && result.ttftMs) {
    const p95 = result.ttftMs.p95;
    parts.push(p95 <= slo.completionTtftP95Ms ? "TTFT ok" : `TTFT MISSED (p95 ${ms(p95)} ms > ${slo.completionTtftP95Ms} ms)`);
  }
  return parts.join(", ");
}

/** The closing table: one row per level. */
export function formatResultsTable(results: LoadTestResults): string[] {
  const header = ["level", "ok", "err", "req/s", "tok/s", "TTFT p50", "p90", "p99", "ITL p50", "p99", "E2E p50", "p99", "SLO"];
  const rows = results.levels.map((r) => [
    levelLabel(r.level) + (r.interrupted ? "*" : ""),
    String(r.requests.ok),
    String(r.requests.failed),
    r.requestsPerS.toFixed(1),
    r.outputTokensPerS.toFixed(0),
    ms(r.ttftMs?.p50),
    ms(r.ttftMs?.p90),
    ms(r.ttftMs?.p99),
    ms(r.interTokenMs?.p50),
    ms(r.interTokenMs?.p99),
    ms(r.e2eMs?.p50),
    ms(r.e2eMs?.p99),
    sloVerdict(r, results.slo, results.settings.workload),
  ]);
  const lines = table([header, ...rows]);
  const errorLines = results.levels
    .filter((r) => r.requests.failed > 0)
    .map(
      (r) =>
        `  errors at ${levelLabel(r.level)}: ${Object.entries(r.errors)
          .map(([k, n]) => `${k} ×${n}`)
          .join(", ")}`,
    );
  const notes = results.interrupted ? ["* stopped by Ctrl-C: the level holds what was measured until then"] : [];
  return ["latencies in ms", ...lines, ...errorLines, ...notes];
}
