/**
 * A report produced by a real load test run, opened in Debian's Chromium (the browser the
 * end-to-end tests use) with the network off: every chart renders, draws pixels, and holds the
 * values results.json holds. The screenshot is kept as an artifact in test-results/ops/.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import type { LoadTestResults } from "../../core/ops/load-results";
import { REPORT_CHARTS } from "../../core/ops/report-html";
import { openAiScript } from "../fixtures/vllm/openai-script";
import { VllmFixture } from "../fixtures/vllm/server";
import { CHROMIUM, CHROMIUM_OFFLINE_ARGS } from "../helpers/chromium";
import { REPO, runCli, tempDir } from "./helpers/run-cli";

const ARTIFACTS = path.join(REPO, "test-results", "ops");

describe("report.html in Chromium", () => {
  let out: string;
  let results: LoadTestResults;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const fixture = await VllmFixture.start({ servedModelNames: ["qwen2.5-coder-7b"] });
    const script = openAiScript(fixture);
    script.ttftCycleMs = [10, 30];
    script.tokensPerSecond = 400;
    out = tempDir("report");
    try {
      const run = await runCli("loadtest", [
        "--endpoint",
        `${fixture.url}/v1`,
        "--model",
        "qwen2.5-coder-7b",
        "--workload",
        "chat",
        "--concurrency",
        "1,2,4",
        "--requests",
        "12",
        "--out",
        out,
      ]);
      if (run.code !== 0) throw new Error(`loadtest failed: ${run.stderr}`);
    } finally {
      await fixture.stop();
    }
    results = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8")) as LoadTestResults;
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run \`bash .ci/system-packages.sh\` (Debian's chromium package)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_OFFLINE_ARGS], timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("renders every chart with the measured values, loading nothing from the network", async () => {
    const page = await browser!.newPage({ viewport: { width: 1300, height: 1100 } });
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const reportUrl = `file://${path.join(out, "report.html")}`;
    await page.goto(reportUrl, { timeout: 15_000 });
    await page.waitForSelector(`html[data-charts-rendered="${REPORT_CHARTS.length}"]`, { timeout: 15_000 });
    expect(requested).toEqual([reportUrl]);

    const charts = await page.evaluate(() => {
      // The page's own globals (the kit's tsconfig has no DOM library).
      interface Canvas {
        id: string;
        width: number;
        height: number;
        getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
      }
      const g = globalThis as unknown as {
        Chart: { getChart(c: Canvas): { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } | undefined };
        document: { querySelectorAll(s: string): ArrayLike<Canvas> };
      };
      return Array.from(g.document.querySelectorAll("canvas")).map((canvas) => {
        const chart = g.Chart.getChart(canvas)!;
        const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
        return {
          id: canvas.id,
          labels: chart.data.labels,
          datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })),
          drawn,
        };
      });
    });

    const labels = results.levels.map((l) => `c=${l.level.value}`);
    const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
    for (const [id, metric] of [
      ["ttft", "ttftMs"],
      ["itl", "interTokenMs"],
      ["e2e", "e2eMs"],
    ] as const) {
      const chart = byId[`chart-${id}`];
      expect(chart.labels).toEqual(labels);
      expect(chart.datasets).toEqual(
        (["p50", "p90", "p99"] as const).map((p) => ({ label: p, data: results.levels.map((l) => l[metric]![p]) })),
      );
      expect(chart.drawn).toBeGreaterThan(5000);
    }
    const throughput = byId["chart-throughput"];
    expect(throughput.datasets).toEqual([
      { label: "requests/s", data: results.levels.map((l) => l.requestsPerS) },
      { label: "output tokens/s", data: results.levels.map((l) => l.outputTokensPerS) },
    ]);
    expect(throughput.drawn).toBeGreaterThan(5000);
    // The measured values are real: latencies at least what the fixture was told.
    expect(results.levels.every((l) => l.ttftMs!.p50 >= 9.5)).toBe(true);

    // The table shows the same figures.
    const firstRow = await page.locator("#levels tbody tr").first().locator("td").allTextContents();
    expect(firstRow[0]).toBe("c=1");
    expect(firstRow[6]).toBe(String(results.levels[0].ttftMs!.p50));

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, "loadtest-report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(20_000);
    await page.close();
  });
});
