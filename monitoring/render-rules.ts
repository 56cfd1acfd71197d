/**
 * Rule files of monitoring/rules/, rendered for one environment. The same rendered groups go to
 * promtool (unit tests), the real-Prometheus integration test and the PrometheusRule objects the
 * stack deploys, so what is tested is what runs.
 */
import path from "node:path";
import YAML from "yaml";
import { fillPlaceholders } from "./placeholders";
import { readSourceFiles } from "./source-files";
import { VLLM_METRICS } from "./vllm-metrics";

export const RULES_DIR = path.join(__dirname, "rules");

export interface RuleRenderContext {
  /** Completion SLO: p95 time to first token, in milliseconds. */
  completionTtftP95Ms: number;
  /** Availability SLO: percent of `/v1` requests answered without a server error, e.g. 99.9. */
  availabilityPercent: number;
  /** Served model names the completion SLO applies to (role completion or both). */
  completionModels: readonly string[];
  /** Namespace of the vLLM pods (kube-state-metrics alerts select on it). */
  servingNamespace: string;
  /** Alerts link to `<runbookBaseUrl>#<alert name in lowercase>`. */
  runbookBaseUrl: string;
  /** GPU alerts need the DCGM exporter; without it they would only report its absence. */
  gpuRules: boolean;
}

export interface RenderOptions {
  /** Replaces every alert's `for:` (the integration test waits seconds, not minutes). */
  forOverride?: string;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export interface RuleFile {
  /** File name without directory, e.g. `vllm-alerts.rules.yaml`. */
  fileName: string;
  groups: RuleGroup[];
}

const GPU_RULE_FILE = "gpu-alerts.rules.yaml";

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return "alert" in rule;
}

/** The rule templates as written, placeholders unfilled. */
export function loadRuleTemplates(dir: string = RULES_DIR): RuleFile[] {
  return readSourceFiles(dir, ".rules.yaml").map(({ fileName, text }) => {
    const parsed = YAML.parse(text) as { groups?: RuleGroup[] } | null;
    if (!parsed || !Array.isArray(parsed.groups)) throw new Error(`${fileName}: expected a top-level "groups" list`);
    return { fileName, groups: parsed.groups };
  });
}

export function renderRuleFiles(context: RuleRenderContext, options: RenderOptions = {}): RuleFile[] {
  const values = placeholderValues(context);
  return loadRuleTemplates()
    .filter((file) => context.gpuRules || file.fileName !== GPU_RULE_FILE)
    .map((file) => {
      const groups = fillPlaceholders(file.groups, values, file.fileName);
      return { fileName: file.fileName, groups: options.forOverride ? overrideFor(groups, options.forOverride) : groups };
    });
}

export function ruleFileYaml(file: RuleFile): string {
  return YAML.stringify({ groups: file.groups }, { lineWidth: 0 });
}

export function alertingRules(files: readonly RuleFile[]): AlertingRule[] {
  return files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter(isAlertingRule)));
}

export function recordingRules(files: readonly RuleFile[]): RecordingRule[] {
  return files.flatMap((f) => f.groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlertingRule(r))));
}

/** The latency SLO is a p95: 5 % of completion requests may be slower than the target. */
const COMPLETION_TTFT_ERROR_BUDGET = 0.05;

/**
 * vLLM's TTFT bucket bound the latency SLO counts at: the largest at or below the target, so a
 * request is never counted fast when it may have been slow. Written as prometheus_client writes
 * `le` (Python floats: 0.1, 1.0), since the rules match the label as a string.
 */
export function completionTtftSloBucket(sloMs: number): string {
  const bounds = VLLM_METRICS.timeToFirstToken.buckets;
  const bound = [...bounds].reverse().find((b) => b <= sloMs / 1000) ?? bounds[0];
  return Number.isInteger(bound) ? bound.toFixed(1) : String(bound);
}

function placeholderValues(context: RuleRenderContext): Record<string, string> {
  if (!(context.completionTtftP95Ms > 0)) throw new Error("completionTtftP95Ms must be a positive number of milliseconds");
  if (!(context.availabilityPercent > 0 && context.availabilityPercent < 100))
    throw new Error("availabilityPercent must be between 0 and 100");
  return {
    availabilityPercent: String(context.availabilityPercent),
    // 12 significant digits: 100 − 99.9 is 0.0999…9 in binary floating point.
    availabilityErrorBudget: String(Number(((100 - context.availabilityPercent) / 100).toPrecision(12))),
    completionTtftErrorBudget: String(COMPLETION_TTFT_ERROR_BUDGET),
    completionTtftSloBucket: completionTtftSloBucket(context.completionTtftP95Ms),
    completionTtftSloSeconds: String(context.completionTtftP95Ms / 1000),
    completionTtftSloMs: String(context.completionTtftP95Ms),
    completionModelsRegex: promqlString(context.completionModels.map(escapeRegex).join("|")),
    servingNamespace: promqlString(context.servingNamespace),
    runbookBaseUrl: context.runbookBaseUrl,
  };
}

function overrideFor(groups: RuleGroup[], duration: string): RuleGroup[] {
  return groups.map((g) => ({ ...g, rules: g.rules.map((r) => (isAlertingRule(r) ? { ...r, for: duration } : r)) }));
}

/** RE2 metacharacters, so a served name such as `qwen2.5-coder` matches only itself. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** The body of a double-quoted PromQL string literal. */
function promqlString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}
