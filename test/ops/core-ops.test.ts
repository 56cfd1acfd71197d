/** The load test's pure parts: percentiles, arrivals, FIM cuts, the results table and the report page. */
import { poissonArrivals } from "../../core/ops/arrivals";
import { cutFimCases } from "../../core/ops/fim-cases";
import { LatencyRecorder } from "../../core/ops/latency";
import { LevelAccumulator, type LoadTestResults } from "../../core/ops/load-results";
import { formatResultsTable, sloVerdict } from "../../core/ops/load-summary";
import { SeededRandom } from "../../core/ops/random";
import { REPORT_CHARTS, renderReport } from "../../core/ops/report-html";
import { chatRequests } from "../../core/ops/workload";

describe("LatencyRecorder", () => {
  it("reports percentiles within HdrHistogram's 0.1 % of the recorded values", () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms++) recorder.record(ms);
    const s = recorder.summary()!;
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -0.3);
    expect(Math.abs(s.p90 - 900) / 900).toBeLessThan(0.001);
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(0.001);
    expect(Math.abs(s.max - 1000) / 1000).toBeLessThan(0.001);
    expect(s.min).toBe(1);
  });

  it("has no summary before anything is recorded, and ignores non-numbers", () => {
    const recorder = new LatencyRecorder();
    recorder.record(Number.NaN);
    expect(recorder.summary()).toBeNull();
  });
});

describe("Poisson arrivals", () => {
  it("arrive at the asked rate on average, the same for the same seed", () => {
    const times = [...poissonArrivals(200, new SeededRandom(7), 60_000)];
    expect(times.length / 60).toBeGreaterThan(190);
    expect(times.length / 60).toBeLessThan(210);
    expect(times).toEqual([...poissonArrivals(200, new SeededRandom(7), 60_000)]);
    // Exponential gaps: about as many gaps above the mean (5 ms) as e^-1 predicts (36.8 %).
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const above = gaps.filter((g) => g > 5).length / gaps.length;
    expect(above).toBeGreaterThan(0.34);
    expect(above).toBeLessThan(0.4);
  });

  it("stop at the count limit and refuse a rate of 0", () => {
    expect([...poissonArrivals(10, new SeededRandom(1), Infinity, 5)]).toHaveLength(5);
    expect(() => [...poissonArrivals(0, new SeededRandom(1))]).toThrow("rate must be above 0");
  });
});

describe("FIM cases", () => {
  const source = Array.from({ length: 200 }, (_, i) => `  const value${i} = compute(${i}, "x");`).join("\n");

  it("cut a file at one cursor: prefix and suffix are the text around it", () => {
    const cases = cutFimCases([{ path: "a.ts", text: source }], 50, new SeededRandom(3));
    expect(cases).toHaveLength(50);
    for (const c of cases) {
      expect(c.path).toBe("a.ts");
      expect(source).toContain(c.prefix + c.suffix.slice(0, 20));
      expect(c.prefix.length).toBeLessThanOrEqual(3000);
      expect(c.suffix.length).toBeLessThanOrEqual(1000);
    }
    // Several cursor places, not one.
    expect(new Set(cases.map((c) => c.prefix.length)).size).toBeGreaterThan(20);
  });

  it("skip files too short to complete in, and return nothing when none is usable", () => {
    expect(cutFimCases([{ path: "tiny.ts", text: "x\n\n" }], 3, new SeededRandom(1))).toEqual([]);
  });
});

describe("workload requests", () => {
  it("ask for streamed output with usage, so tokens are the server's count", () => {
    const [request] = chatRequests(1, new SeededRandom(1), { model: "m", maxTokens: 16 });
    expect(request.path).toBe("/v1/chat/completions");
    expect(JSON.parse(request.body)).toMatchObject({ model: "m", max_tokens: 16, stream: true, stream_options: { include_usage: true } });
  });
});

function sampleResults(): LoadTestResults {
  const levels = [1, 4].map((value, i) => {
    const acc = new LevelAccumulator({ mode: "concurrency", value });
    for (let n = 0; n < 10; n++) acc.add({ ok: true, ttftMs: 20 + i * 10 + n, interTokenMs: [5, 6], e2eMs: 100 + n, outputTokens: 16 });
    if (i === 1) acc.add({ ok: false, kind: "http_500" });
    acc.add({ ok: "cancelled" });
    return acc.result(2, false);
  });
  return {
    version: 1,
    startedAt: "2026-11-26T10:00:00.000Z",
    finishedAt: "2026-11-26T10:00:05.000Z",
    settings: {
      endpoint: "http://127.0.0.1:1/v1",
      model: "qwen</script><b>",
      workload: "fim",
      fimTemplate: "qwen",
      mode: "concurrency",
      levels: [1, 4],
      requestsPerLevel: 10,
      maxTokens: 16,
      timeoutS: 60,
      seed: 1,
    },
    slo: { availabilityPercent: 99.9, completionTtftP95Ms: 25, source: "defaults" },
    levels,
    interrupted: false,
  };
}

describe("level results", () => {
  it("count successes, failures by kind and cancellations apart, and rates over the level's time", () => {
    const [, second] = sampleResults().levels;
    expect(second.requests).toEqual({ sent: 12, ok: 10, failed: 1, cancelled: 1 });
    expect(second.errors).toEqual({ http_500: 1 });
    expect(second.requestsPerS).toBe(5);
    expect(second.outputTokensPerS).toBe(80);
    expect(second.interTokenMs?.count).toBe(20);
  });

  it("are judged against the SLO: errors above the budget, TTFT p95 above the target", () => {
    const results = sampleResults();
    expect(sloVerdict(results.levels[0], results.slo, "fim")).toBe("availability ok, TTFT MISSED (p95 29.0 ms > 25 ms)");
    expect(sloVerdict(results.levels[1], results.slo, "fim")).toContain("availability MISSED (9.09 % errors > 0.10 %)");
    expect(sloVerdict(results.levels[0], results.slo, "chat")).toBe("availability ok");
    const table = formatResultsTable(results).join("\n");
    expect(table).toContain("errors at c=4: http_500 ×1");
  });
});

describe("report page", () => {
  const results = sampleResults();
  const html = renderReport(results, "window.Chart = function () {};");

  it("inlines the data and the library and loads nothing from the network", () => {
    expect(html).toContain("window.Chart = function () {};");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    for (const chart of REPORT_CHARTS) expect(html).toContain(`id="chart-${chart.id}"`);
  });

  it("escapes what the results hold, in the tables and in the inlined JSON", () => {
    expect(html).not.toContain("qwen</script><b>");
    expect(html).toContain("qwen&#60;/script&#62;&#60;b&#62;");
    const json = /<script id="results" type="application\/json">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(results)));
  });
});
