/** What the rule and dashboard sources promise operators, checked statically. */
import fs from "node:fs";
import path from "node:path";
import { loadDashboards, panelQueries, substituteVariables, variableQueries } from "../../monitoring/dashboards";
import { alertingRules, recordingRules, renderRuleFiles, type RuleRenderContext } from "../../monitoring/render-rules";
import { fillPlaceholders } from "../../monitoring/placeholders";
import { vllmSeriesNames } from "../../monitoring/vllm-metrics";
import { promtoolTestContext } from "./helpers/rendered-rules";

const DOCS = path.resolve(__dirname, "../../docs");
const context: RuleRenderContext = { ...promtoolTestContext(), runbookBaseUrl: "https://git.example.com/docs/runbooks.md" };
const files = renderRuleFiles(context);
const alerts = alertingRules(files);
const dashboards = loadDashboards();

/** vLLM series names in a PromQL expression (vLLM's own `vllm:` prefix, not recording rules). */
function vllmNamesIn(expr: string): string[] {
  return [...expr.matchAll(/(?<![\w:])vllm:[a-z0-9_]+/g)].map((m) => m[0]);
}

describe("alerts", () => {
  const runbooks = fs.readFileSync(path.join(DOCS, "runbooks.md"), "utf8");
  const monitoringDoc = fs.readFileSync(path.join(DOCS, "monitoring.md"), "utf8");

  it.each(alerts.map((a) => [a.alert, a]))("%s has severity, category, summary, description and a runbook", (_n, alert) => {
    expect(["critical", "warning"]).toContain(alert.labels.severity);
    expect(["availability", "latency", "capacity", "gpu"]).toContain(alert.labels.category);
    expect(alert.annotations.summary).toBeTruthy();
    expect(alert.annotations.description).toBeTruthy();
    expect(alert.annotations.runbook_url).toBe(`${context.runbookBaseUrl}#${alert.alert.toLowerCase()}`);
    expect(runbooks).toContain(`\n## ${alert.alert}\n`);
    expect(monitoringDoc).toContain(`| \`${alert.alert}\` |`);
  });

  it("puts the environment's SLOs and completion models into the burn-rate rules", () => {
    const recorded = (rendered: typeof files, name: string) => recordingRules(rendered).find((r) => r.record === name)?.expr;
    const slow = recorded(files, "namespace_model:aicockpit_completion_ttft_slow:ratio_rate1h");
    expect(slow).toContain('model_name=~"qwen2\\\\.5-coder-7b|starcoder2-3b"');
    expect(slow).toContain('le="0.1"');
    // A target between vLLM's bucket bounds counts at the bound below it (never flatters).
    const stricter = renderRuleFiles({ ...context, completionTtftP95Ms: 90 });
    expect(recorded(stricter, "namespace_model:aicockpit_completion_ttft_slow:ratio_rate1h")).toContain('le="0.08"');
    expect(
      recorded(renderRuleFiles({ ...context, completionTtftP95Ms: 1000 }), "namespace_model:aicockpit_completion_ttft_slow:ratio_rate5m"),
    ).toContain('le="1.0"');
    expect(recorded(files, "aicockpit:availability_error_budget:ratio")).toBe("vector(0.001)");
    expect(recorded(renderRuleFiles({ ...context, availabilityPercent: 99.95 }), "aicockpit:availability_error_budget:ratio")).toBe(
      "vector(0.0005)",
    );
    const fast = alerts.find((a) => a.alert === "VllmAvailabilityFastBurn")!;
    expect(fast.expr).toContain("namespace_model:aicockpit_availability_errors:ratio_rate1h > (14.4 * 0.001)");
    expect(fast.expr).toContain("namespace_model:aicockpit_availability_errors:ratio_rate5m > (14.4 * 0.001)");
    expect(fast.expr).toContain("namespace_model:aicockpit_availability_errors:ratio_rate6h > (6 * 0.001)");
    const sloSeries = recordingRules(files).find((r) => r.record === "aicockpit:completion_ttft_p95_slo_seconds");
    expect(sloSeries?.expr).toBe("vector(0.1)");
  });

  it("selects the serving namespace in the pod alerts", () => {
    const other = alertingRules(renderRuleFiles({ ...context, servingNamespace: "models" }));
    for (const name of ["VllmPodRestarting", "VllmOomKilled"]) {
      expect(other.find((a) => a.alert === name)?.expr).toContain('namespace="models"');
    }
  });

  it("leaves the GPU alerts out when the DCGM exporter is disabled", () => {
    const names = alertingRules(renderRuleFiles({ ...context, gpuRules: false })).map((a) => a.alert);
    expect(names).not.toContain("GpuXidError");
    expect(names).not.toContain("GpuUnavailable");
    expect(names).toContain("VllmEndpointDown");
  });

  it("shortens every `for` only when asked", () => {
    expect(new Set(alerts.map((a) => a.for))).not.toEqual(new Set(["2s"]));
    const quick = alertingRules(renderRuleFiles(context, { forOverride: "2s" }));
    expect(new Set(quick.map((a) => a.for))).toEqual(new Set(["2s"]));
  });

  it("leaves no placeholder unfilled and rejects unknown ones", () => {
    expect(JSON.stringify(files)).not.toContain("${");
    expect(() => fillPlaceholders({ expr: "x > ${nope}" }, { known: "1" }, "test.yaml")).toThrow(
      "test.yaml: unknown placeholder ${nope}; known: known",
    );
  });
});

describe("metric names in rules and dashboards", () => {
  const known = new Set(vllmSeriesNames());
  const exprs = [
    ...files.flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => ({ where: `${f.fileName}`, expr: r.expr })))),
    ...dashboards.flatMap((d) => panelQueries(d.dashboard).map((q) => ({ where: `${q.dashboard}/${q.panel}`, expr: q.expr }))),
    ...dashboards.flatMap((d) => variableQueries(d.dashboard).map((v) => ({ where: `${d.dashboard.uid}.$${v.name}`, expr: v.definition }))),
  ];

  it("uses only vLLM series that current vLLM exposes", () => {
    const unknown = exprs.flatMap(({ where, expr }) =>
      vllmNamesIn(expr)
        .filter((n) => !known.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it("reads every vLLM metric the issue lists somewhere", () => {
    const used = new Set(exprs.flatMap(({ expr }) => vllmNamesIn(expr)));
    for (const name of [
      "vllm:time_to_first_token_seconds_bucket",
      "vllm:inter_token_latency_seconds_bucket",
      "vllm:e2e_request_latency_seconds_bucket",
      "vllm:request_queue_time_seconds_bucket",
      "vllm:num_requests_running",
      "vllm:num_requests_waiting",
      "vllm:kv_cache_usage_perc",
      "vllm:prefix_cache_queries_total",
      "vllm:prefix_cache_hits_total",
      "vllm:num_preemptions_total",
      "vllm:prompt_tokens_total",
      "vllm:generation_tokens_total",
    ]) {
      expect(used).toContain(name);
    }
  });

  it("uses only the DCGM fields the exporter's default set exposes", () => {
    const dcgm = new Set(exprs.flatMap(({ expr }) => [...expr.matchAll(/DCGM_FI_[A-Z_]+/g)].map((m) => m[0])));
    const defaults = [
      "DCGM_FI_DEV_GPU_UTIL",
      "DCGM_FI_DEV_FB_USED",
      "DCGM_FI_DEV_FB_FREE",
      "DCGM_FI_DEV_GPU_TEMP",
      "DCGM_FI_DEV_POWER_USAGE",
      "DCGM_FI_DEV_XID_ERRORS",
    ];
    expect([...dcgm].filter((n) => !defaults.includes(n))).toEqual([]);
    expect([...dcgm].sort()).toEqual([...defaults].sort());
  });
});

describe("dashboards", () => {
  it("have unique uids and a Prometheus data-source variable every panel uses", () => {
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard, json } of dashboards) {
      expect(dashboard.templating.list.some((v) => v.type === "datasource" && v.name === "datasource")).toBe(true);
      expect(json).not.toMatch(/"uid":\s*"(?!\$\{datasource\}|aicockpit-)[^"]*"/);
    }
  });

  it.each([["aicockpit-vllm-overview"], ["aicockpit-completion-slo"]])("%s filters by model and namespace", (uid) => {
    const d = dashboards.find((x) => x.dashboard.uid === uid)!.dashboard;
    expect(
      variableQueries(d)
        .map((v) => v.name)
        .sort(),
    ).toEqual(["model", "namespace"]);
    for (const q of panelQueries(d).filter((q) => q.expr.includes("vllm"))) {
      expect(q.expr).toContain('model_name=~"$model"');
      expect(q.expr).toContain('namespace=~"$namespace"');
    }
  });

  it("shows on the overview every figure the issue asks for", () => {
    const overview = dashboards.find((d) => d.dashboard.uid === "aicockpit-vllm-overview")!.dashboard;
    const text = panelQueries(overview)
      .map((q) => q.expr)
      .join("\n");
    for (const part of [
      "rate(vllm:e2e_request_latency_seconds_count",
      "histogram_quantile(0.5, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket",
      "histogram_quantile(0.95, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket",
      "histogram_quantile(0.99, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket",
      "rate(vllm:inter_token_latency_seconds_bucket",
      "rate(vllm:prompt_tokens_total",
      "rate(vllm:generation_tokens_total",
      "vllm:num_requests_running",
      "vllm:num_requests_waiting",
      "vllm:kv_cache_usage_perc",
      "rate(vllm:prefix_cache_hits_total",
      "rate(vllm:num_preemptions_total",
    ]) {
      expect(text).toContain(part);
    }
  });

  it("substitutes Grafana variables, and refuses unknown ones", () => {
    expect(substituteVariables('rate(x{m=~"$model"}[$__rate_interval]) ${model}', { model: "a", __rate_interval: "1m" })).toBe(
      'rate(x{m=~"a"}[1m]) a',
    );
    expect(() => substituteVariables('x{m=~"$unknown"}', {})).toThrow("no value for Grafana variable $unknown");
  });
});
