/**
 * What `npm run doctor` found: one verdict per check per endpoint, the same content as a table
 * for people and as JSON (`--json`) for scripts. Any failed check fails the run.
 */
import type { SloTargets } from "./load-results";

export const CHECK_IDS = ["dns", "tls", "health", "models", "completion", "chat", "fim", "tools", "exposure", "kv-cache"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  check: CheckId;
  status: CheckStatus;
  /** One line: what was found, or what is wrong and what to do. */
  summary: string;
  /** Figures a script may want (time to first token, KV-cache sizes, certificate dates…). */
  data?: Record<string, unknown>;
}

export interface EndpointReport {
  environment: string;
  model: string;
  baseUrl: string;
  checks: CheckResult[];
}

export interface DoctorReport {
  outputs: string;
  slo: SloTargets;
  endpoints: EndpointReport[];
  /** No check failed. */
  ok: boolean;
}

const MARK: Record<CheckStatus, string> = { pass: "ok", warn: "WARN", fail: "FAIL", skip: "-" };

export function doctorReport(outputs: string, slo: SloTargets, endpoints: EndpointReport[]): DoctorReport {
  return { outputs, slo, endpoints, ok: endpoints.every((e) => e.checks.every((c) => c.status !== "fail")) };
}

/** The results table: a block per endpoint, a row per check, and a closing verdict. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const endpoint of report.endpoints) {
    lines.push(`${endpoint.model} (${endpoint.environment}) ${endpoint.baseUrl}`);
    for (const c of endpoint.checks) lines.push(`  ${MARK[c.status].padEnd(4)} ${c.check.padEnd(10)} ${c.summary}`);
  }
  const counts = (status: CheckStatus) => report.endpoints.reduce((n, e) => n + e.checks.filter((c) => c.status === status).length, 0);
  const failed = counts("fail");
  lines.push(
    failed === 0
      ? `verdict: every check passed (${counts("warn")} warnings, ${counts("skip")} not applicable)`
      : `verdict: ${failed} check${failed === 1 ? "" : "s"} FAILED (${counts("warn")} warnings)`,
  );
  return lines;
}

/** Marks every check not yet run as skipped, with the reason (e.g. the endpoint is down). */
export function skipRemaining(done: readonly CheckResult[], planned: readonly CheckId[], reason: string): CheckResult[] {
  const seen = new Set(done.map((c) => c.check));
  return planned.filter((id) => !seen.has(id)).map((check) => ({ check, status: "skip", summary: `not checked: ${reason}` }));
}
