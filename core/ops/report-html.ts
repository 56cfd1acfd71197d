/**
 * `report.html`: one self-contained page (the charting library and the data inlined, no
 * network when opened) with latency percentiles and throughput against concurrency or rate,
 * the per-level table and the run's settings. Pure: the caller passes the library's source.
 */
import { errorPercent, levelLabel, type LoadTestResults } from "./load-results";
import { sloLine, sloVerdict } from "./load-summary";

/** The charts of a report: canvas id, title, and which figures of a level they draw. */
export const REPORT_CHARTS = [
  { id: "ttft", title: "Time to first token (ms)", metric: "ttftMs" },
  { id: "itl", title: "Inter-token latency (ms)", metric: "interTokenMs" },
  { id: "e2e", title: "End-to-end latency (ms)", metric: "e2eMs" },
  { id: "throughput", title: "Throughput", metric: "throughput" },
] as const;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a <script> element whatever strings it holds. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function settingsRows(results: LoadTestResults): [string, string][] {
  const s = results.settings;
  const rows: [string, string][] = [
    ["endpoint", s.endpoint],
    ["model", s.model],
    ["workload", s.workload + (s.fimTemplate ? ` (${s.fimTemplate} template)` : "") + (s.sourceRoot ? `, cut from ${s.sourceRoot}` : "")],
    ["mode", s.mode === "concurrency" ? "closed loop by concurrency" : "open loop, Poisson arrivals by rate"],
    ["levels", s.levels.join(", ")],
    ["per level", s.requestsPerLevel !== undefined ? `${s.requestsPerLevel} requests` : `${s.durationS} s`],
    ["max tokens", String(s.maxTokens)],
    ["request timeout", `${s.timeoutS} s`],
    ["seed", String(s.seed)],
    ["started", results.startedAt],
    ["finished", results.finishedAt + (results.interrupted ? " (stopped by Ctrl-C)" : "")],
    ["SLO", sloLine(results.slo).replace(/^SLO /, "")],
  ];
  return rows;
}

function levelRows(results: LoadTestResults): string {
  const f = (v: number | undefined) => (v === undefined ? "-" : String(v));
  return results.levels
    .map((r) => {
      const cells = [
        levelLabel(r.level) + (r.interrupted ? " (stopped)" : ""),
        String(r.requests.ok),
        `${r.requests.failed} (${errorPercent(r).toFixed(2)} %)`,
        Object.entries(r.errors)
          .map(([k, n]) => `${k} ×${n}`)
          .join(", ") || "-",
        String(r.requestsPerS),
        String(r.outputTokensPerS),
        f(r.ttftMs?.p50),
        f(r.ttftMs?.p90),
        f(r.ttftMs?.p99),
        f(r.interTokenMs?.p50),
        f(r.e2eMs?.p50),
        f(r.e2eMs?.p99),
        sloVerdict(r, results.slo, results.settings.workload),
      ];
      return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
    })
    .join("\n");
}

/** The report page for `results`, with `chartLibrary` (Chart.js's UMD build) inlined. */
export function renderReport(results: LoadTestResults, chartLibrary: string): string {
  const title = `Load test: ${results.settings.model} (${results.settings.workload})`;
  const settings = settingsRows(results)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join("\n");
  const canvases = REPORT_CHARTS.map(
    (c) => `<figure><figcaption>${escapeHtml(c.title)}</figcaption><canvas id="chart-${c.id}" width="640" height="320"></canvas></figure>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; }
h1 { font-size: 20px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
figure { margin: 0; padding: 8px; border: 1px solid #d0d7de; border-radius: 6px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
td { font-variant-numeric: tabular-nums; }
.note { color: #57606a; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${results.interrupted ? '<p class="note">Stopped by Ctrl-C: the last level holds what was measured until then.</p>' : ""}
<div class="charts">
${canvases}
</div>
<h2>Levels</h2>
<table id="levels">
<thead><tr><th>level</th><th>ok</th><th>failed</th><th>errors</th><th>req/s</th><th>tokens/s</th><th>TTFT p50</th><th>TTFT p90</th><th>TTFT p99</th><th>ITL p50</th><th>E2E p50</th><th>E2E p99</th><th>SLO</th></tr></thead>
<tbody>
${levelRows(results)}
</tbody>
</table>
<p class="note">Latencies in milliseconds, measured by the client from ${results.settings.mode === "rate" ? "each request's scheduled arrival" : "the moment each request was sent"}.</p>
<h2>Settings</h2>
<table id="settings">
${settings}
</table>
<script id="results" type="application/json">${scriptJson(results)}</script>
<script>${chartLibrary.replace(/<\/script/gi, "<\\/script")}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}

/** Draws the charts from the inlined results; sets data-charts-rendered on <html> when done. */
const CHART_SCRIPT = `
(function () {
  var results = JSON.parse(document.getElementById("results").textContent);
  var labels = results.levels.map(function (r) {
    return r.level.mode === "concurrency" ? "c=" + r.level.value : r.level.value + " req/s";
  });
  var axisTitle = results.settings.mode === "concurrency" ? "concurrency" : "arrival rate (req/s)";
  var colors = { p50: "#2f81f7", p90: "#d29922", p99: "#cf222e", req: "#1a7f37", tok: "#8250df" };
  function pick(metric, p) {
    return results.levels.map(function (r) { return r[metric] ? r[metric][p] : null; });
  }
  function line(label, data, color, axis) {
    return { label: label, data: data, borderColor: color, backgroundColor: color, yAxisID: axis || "y", spanGaps: true };
  }
  var common = { animation: false, responsive: false, layout: { padding: { left: 4, right: 20 } }, plugins: { legend: { position: "bottom" } } };
  function latencyChart(id, metric) {
    return new Chart(document.getElementById("chart-" + id), {
      type: "line",
      data: { labels: labels, datasets: [line("p50", pick(metric, "p50"), colors.p50), line("p90", pick(metric, "p90"), colors.p90), line("p99", pick(metric, "p99"), colors.p99)] },
      options: Object.assign({}, common, { scales: { x: { title: { display: true, text: axisTitle } }, y: { beginAtZero: true, title: { display: true, text: "ms" } } } }),
    });
  }
  ${JSON.stringify(REPORT_CHARTS.filter((c) => c.metric !== "throughput").map((c) => [c.id, c.metric]))}.forEach(function (c) { latencyChart(c[0], c[1]); });
  new Chart(document.getElementById("chart-throughput"), {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        line("requests/s", results.levels.map(function (r) { return r.requestsPerS; }), colors.req, "y"),
        line("output tokens/s", results.levels.map(function (r) { return r.outputTokensPerS; }), colors.tok, "y1"),
      ],
    },
    options: Object.assign({}, common, {
      scales: {
        x: { title: { display: true, text: axisTitle } },
        y: { beginAtZero: true, position: "left", title: { display: true, text: "requests/s" } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "tokens/s" } },
      },
    }),
  });
  document.documentElement.setAttribute("data-charts-rendered", String(Object.keys(Chart.instances).length));
})();
`;
