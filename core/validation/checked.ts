import type { ConfigIssue } from "../errors";

/** A validation stage's outcome: what it narrowed, or the problems that stand in the way. */
export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ConfigIssue[] };

export function checked<T>(issues: ConfigIssue[], value: () => T): Checked<T> {
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: value() };
}
