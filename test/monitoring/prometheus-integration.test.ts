/**
 * A real Prometheus (Debian's /usr/bin/prometheus) scraping the vLLM fixture every second with
 * the rendered rules loaded: recording rules compute what the fixture was told, an alert
 * fires on overload, and every dashboard query runs.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { loadDashboards, panelQueries, substituteVariables, variableQueries } from "../../monitoring/dashboards";
import { VLLM_METRICS } from "../../monitoring/vllm-metrics";
import { VllmFixture } from "../fixtures/vllm/server";
import { ToolProcess, freePort, makeTempDir, waitFor } from "./helpers/tools";
import { writeRenderedRules } from "./helpers/rendered-rules";

const COMPLETION_MODEL = "qwen2.5-coder-7b";
const CHAT_MODEL = "chat-model";
const NAMESPACE = "aicockpit";

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface QueryResponse {
  status: string;
  error?: string;
  data: { resultType: string; result: Sample[] };
}

describe("Prometheus with the rendered rules, scraping the vLLM fixture", () => {
  let fixture: VllmFixture | undefined;
  let prometheus: ToolProcess | undefined;
  let traffic: NodeJS.Timeout | undefined;
  let dir: string;
  let api: string;

  beforeAll(async () => {
    dir = makeTempDir("prometheus");
    fixture = await VllmFixture.start({ servedModelNames: [COMPLETION_MODEL, CHAT_MODEL] });
    const rules = writeRenderedRules(
      dir,
      {
        completionTtftP95Ms: 100,
        availabilityPercent: 99.9,
        completionModels: [COMPLETION_MODEL],
        servingNamespace: NAMESPACE,
        runbookBaseUrl: "docs/runbooks.md",
        gpuRules: true,
      },
      // Seconds instead of minutes: the same rules, only the wait before firing is shorter.
      { forOverride: "2s" },
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    fs.writeFileSync(
      path.join(dir, "prometheus.yml"),
      YAML.stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: rules,
        scrape_configs: [
          {
            // What the PodMonitor produces in a cluster: job "vllm", namespace and model_name target labels.
            job_name: "vllm",
            honor_labels: true,
            static_configs: [{ targets: [`127.0.0.1:${fixture.port}`], labels: { namespace: NAMESPACE, model_name: COMPLETION_MODEL } }],
          },
        ],
      }),
    );

    // Steady traffic, stepped every 200 ms: per step 100 prefix-cache queried tokens (25 hits),
    // 10 requests with a 50 ms time to first token, 30 prompt and 5 generated tokens.
    const metrics = fixture.metrics;
    const step = () => {
      for (const model of [COMPLETION_MODEL, CHAT_MODEL]) {
        metrics.inc("prefixCacheQueries", model, 100);
        metrics.inc("prefixCacheHits", model, 25);
        metrics.observeTtft(model, 0.05, 10);
        metrics.observe("interTokenLatency", model, 0.02, 50);
        metrics.observe("e2eRequestLatency", model, 0.4, 10);
        metrics.observe("requestQueueTime", model, 0.001, 10);
        metrics.inc("promptTokens", model, 30);
        metrics.inc("generationTokens", model, 5);
      }
    };
    step();
    traffic = setInterval(step, 200);
    metrics.set("numRequestsRunning", COMPLETION_MODEL, 8);
    metrics.set("kvCacheUsage", COMPLETION_MODEL, 0.42);

    prometheus = ToolProcess.start("prometheus", [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ]);
    await waitFor(
      "Prometheus to be ready",
      async () => {
        if (!prometheus?.running) throw new Error(`prometheus exited:\n${prometheus?.log}`);
        return (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined;
      },
      30_000,
    );
  });

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await prometheus?.stop();
    await fixture?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<QueryResponse> {
    const response = await fetch(`${api}/query?query=${encodeURIComponent(expr)}`);
    return (await response.json()) as QueryResponse;
  }

  async function valueOf(expr: string, model: string): Promise<number | undefined> {
    const { data } = await query(expr);
    const sample = data.result.find((s) => s.metric.model_name === model);
    return sample ? Number(sample.value[1]) : undefined;
  }

  it("scrapes the fixture's vLLM metrics", async () => {
    await waitFor("the fixture to be scraped", async () => ((await valueOf('up{job="vllm"}', COMPLETION_MODEL)) === 1 ? true : undefined));
    expect(await valueOf(VLLM_METRICS.numRequestsRunning.family, COMPLETION_MODEL)).toBe(8);
  });

  it("records the prefix-cache hit rate the fixture reports (25 hits per 100 queried tokens)", async () => {
    const ratio = await waitFor("the hit-ratio recording rule", () =>
      valueOf("namespace_model:vllm_prefix_cache_hit_ratio:rate5m", COMPLETION_MODEL),
    );
    expect(ratio).toBeCloseTo(25 / 100, 9);
  });

  it("records TTFT p95 by interpolating vLLM's bucket that holds every 50 ms observation", async () => {
    // All observations fall in vLLM's (0.04, 0.06] bucket; rank 0.95 interpolates linearly in it.
    const expected = 0.04 + (0.06 - 0.04) * 0.95;
    const p95 = await waitFor("the TTFT p95 recording rule", () =>
      valueOf("namespace_model:vllm_time_to_first_token_seconds:p95_5m", COMPLETION_MODEL),
    );
    expect(p95).toBeCloseTo(expected, 9);
    expect(await valueOf("namespace_model:vllm_kv_cache_usage:max", COMPLETION_MODEL)).toBe(0.42);
  });

  it("fires the queue-backlog alert when the fixture reports an overloaded model, and only for it", async () => {
    fixture?.metrics.set("numRequestsWaiting", COMPLETION_MODEL, 25);
    const alerts = await waitFor("VllmQueueBacklog to fire", async () => {
      const response = (await (await fetch(`${api}/alerts`)).json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      const backlog = response.data.alerts.filter((a) => a.labels.alertname === "VllmQueueBacklog");
      return backlog.some((a) => a.state === "firing") ? backlog : undefined;
    });
    expect(alerts.map((a) => [a.labels.model_name, a.labels.severity, a.state])).toEqual([[COMPLETION_MODEL, "warning", "firing"]]);
  });

  describe("dashboard queries", () => {
    const variables = {
      namespace: NAMESPACE,
      model: COMPLETION_MODEL,
      datasource: "prometheus",
      __rate_interval: "1m",
      __interval: "15s",
      __range: "1h",
    };
    const dashboards = loadDashboards();
    const queries = dashboards.flatMap((d) => panelQueries(d.dashboard));

    it.each(queries.map((q) => [`${q.dashboard} / ${q.panel} / ${q.refId}`, q.expr]))("%s runs without error", async (_name, expr) => {
      const result = await query(substituteVariables(expr, variables));
      expect({ expr, status: result.status, error: result.error }).toEqual({ expr, status: "success", error: undefined });
    });

    it("returns data for every vLLM overview panel (no misspelt metric or label)", async () => {
      // Wait until 5-minute rates have two samples of every series.
      await waitFor("rates over the fixture's counters", () => valueOf("namespace_model:vllm_request_rate:rate5m", COMPLETION_MODEL));
      const overview = dashboards.find((d) => d.dashboard.uid === "aicockpit-vllm-overview");
      expect(overview).toBeDefined();
      const empty: string[] = [];
      for (const q of panelQueries(overview!.dashboard)) {
        const result = await query(substituteVariables(q.expr, variables));
        if (result.data.result.length === 0) empty.push(`${q.panel} / ${q.refId}`);
      }
      expect(empty).toEqual([]);
    });

    it("finds values for every template variable", async () => {
      for (const d of dashboards) {
        for (const v of variableQueries(d.dashboard)) {
          const match = /^label_values\((.+),\s*(\w+)\)$/.exec(v.definition);
          expect(match).not.toBeNull();
          const [, selector, label] = match!;
          const url = `${api}/label/${label}/values?match[]=${encodeURIComponent(substituteVariables(selector, variables))}`;
          const values = ((await (await fetch(url)).json()) as { data: string[] }).data;
          expect({ variable: `${d.dashboard.uid}.${v.name}`, values }).toEqual({
            variable: `${d.dashboard.uid}.${v.name}`,
            values: expect.arrayContaining([v.name === "model" ? COMPLETION_MODEL : NAMESPACE]),
          });
        }
      }
    });
  });
});
