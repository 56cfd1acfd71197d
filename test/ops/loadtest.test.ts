/**
 * `npm run loadtest` against the vLLM fixture: the percentiles it reports are the latencies the
 * fixture was told to produce, errors are counted by kind, Ctrl-C still writes what was measured.
 */
import fs from "node:fs";
import path from "node:path";
import type { LoadTestResults } from "../../core/ops/load-results";
import { openAiScript } from "../fixtures/vllm/openai-script";
import { VllmFixture } from "../fixtures/vllm/server";
import { runCli, STACK_LINE, tempDir } from "./helpers/run-cli";

const MODEL = "qwen2.5-coder-7b";

function readResults(dir: string): LoadTestResults {
  return JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as LoadTestResults;
}

describe("loadtest against the fixture", () => {
  let fixture: VllmFixture;
  let out: string;

  beforeEach(async () => {
    fixture = await VllmFixture.start({ servedModelNames: [MODEL], apiKey: "test-key" });
    out = tempDir("loadtest");
  });

  afterEach(async () => {
    await fixture.stop();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("reports the time to first token, inter-token and end-to-end latency the fixture produced", async () => {
    // Four requests in five take 20 ms to their first token, one takes 200 ms; then 15 more
    // tokens at 100 tokens/s (10 ms apart). 25 requests per level = five whole cycles.
    const script = openAiScript(fixture);
    script.ttftCycleMs = [20, 20, 20, 20, 200];
    script.tokensPerSecond = 100;
    script.completionText = "t0 t1 t2 t3 t4 t5 t6 t7.";
    const run = await runCli(
      "loadtest",
      [
        "--endpoint",
        `${fixture.url}/v1`,
        "--model",
        MODEL,
        "--workload",
        "fim",
        "--fim-template",
        "qwen",
        "--concurrency",
        "1,5",
        "--requests",
        "25",
        "--max-tokens",
        "16",
        "--out",
        out,
      ],
      { env: { AICOCKPIT_API_KEY: "test-key" }, timeoutMs: 90_000 },
    );
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const results = readResults(out);
    expect(results.levels.map((l) => l.level)).toEqual([
      { mode: "concurrency", value: 1 },
      { mode: "concurrency", value: 5 },
    ]);
    // Stated tolerance: timers fire late, never early, so each figure is at least what the
    // fixture was told and at most 40 ms (first token) or 15 ms (token gap) more, on a busy machine.
    for (const level of results.levels) {
      expect(level.requests).toEqual({ sent: 25, ok: 25, failed: 0, cancelled: 0 });
      expect(level.outputTokens).toBe(25 * 16);
      const ttft = level.ttftMs!;
      expect(ttft.p50).toBeGreaterThanOrEqual(19.5);
      expect(ttft.p50).toBeLessThan(20 + 40);
      expect(ttft.p90).toBeGreaterThanOrEqual(199);
      // The tail takes the longest timer delays of a busy machine: 100 ms of slack there.
      expect(ttft.p99).toBeLessThan(200 + 100);
      const itl = level.interTokenMs!;
      expect(itl.count).toBe(25 * 15);
      expect(itl.p50).toBeGreaterThanOrEqual(9);
      expect(itl.p50).toBeLessThan(10 + 15);
      // End to end: first token + 15 gaps of 10 ms; late by at most the first token's 40 ms and
      // 5 ms per gap on average (each gap's own bound is 15 ms, met by the p50 above).
      expect(level.e2eMs!.p50).toBeGreaterThanOrEqual(20 + 150 - 1);
      expect(level.e2eMs!.p50).toBeLessThan(20 + 150 + 40 + 15 * 5);
    }
    // Five clients overlap their waits: about five times the requests per second of one.
    expect(results.levels[1].requestsPerS).toBeGreaterThan(results.levels[0].requestsPerS * 2.5);
    expect(run.stdout).toContain("SLO (defaults");
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).toContain('id="chart-ttft"');
    // Every request carried the key from the environment, never from an argument.
    expect(fixture.requestsTo("/v1/completions").every((r) => r.headers.authorization === "Bearer test-key")).toBe(true);
  });

  it("counts failures by kind: server errors and a wrong key", async () => {
    openAiScript(fixture).failRate = 0.2;
    const failing = await runCli(
      "loadtest",
      ["--endpoint", `${fixture.url}/v1`, "--model", MODEL, "--workload", "chat", "--concurrency", "2", "--requests", "20", "--out", out],
      { env: { AICOCKPIT_API_KEY: "test-key" } },
    );
    expect(failing.code).toBe(0);
    expect(readResults(out).levels[0].errors).toEqual({ http_500: 4 });
    expect(failing.stdout).toContain("availability MISSED (20.00 % errors > 0.10 %)");

    openAiScript(fixture).failRate = 0;
    const wrongKey = await runCli(
      "loadtest",
      ["--endpoint", `${fixture.url}/v1`, "--model", MODEL, "--workload", "chat", "--concurrency", "1", "--requests", "3", "--out", out],
      {
        env: { AICOCKPIT_API_KEY: "not-the-key" },
      },
    );
    expect(readResults(out).levels[0].errors).toEqual({ http_401: 3 });
    expect(wrongKey.stdout + wrongKey.stderr).not.toContain("not-the-key");
  });

  it("measures open-loop levels at the asked arrival rate", async () => {
    const run = await runCli(
      "loadtest",
      ["--endpoint", `${fixture.url}/v1`, "--model", MODEL, "--workload", "chat", "--rate", "50", "--duration", "2", "--out", out],
      {
        env: { AICOCKPIT_API_KEY: "test-key" },
      },
    );
    expect(run.code).toBe(0);
    const [level] = readResults(out).levels;
    expect(level.level).toEqual({ mode: "rate", value: 50 });
    // A Poisson process over 2 s at 50/s: 100 expected, and well inside 60–140.
    expect(level.requests.ok).toBeGreaterThan(60);
    expect(level.requests.ok).toBeLessThan(140);
  });

  it("stops on Ctrl-C and still writes what it measured", async () => {
    openAiScript(fixture).ttftMs = 100;
    const run = await runCli(
      "loadtest",
      ["--endpoint", `${fixture.url}/v1`, "--model", MODEL, "--workload", "chat", "--concurrency", "4,8", "--duration", "60", "--out", out],
      { env: { AICOCKPIT_API_KEY: "test-key" }, interruptOn: "SLO (", interruptAfterMs: 1500, timeoutMs: 30_000 },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("writing what was measured");
    const results = readResults(out);
    expect(results.interrupted).toBe(true);
    expect(results.levels).toHaveLength(1);
    expect(results.levels[0].interrupted).toBe(true);
    expect(results.levels[0].requests.ok).toBeGreaterThan(10);
    expect(results.levels[0].requests.failed).toBe(0);
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(true);
  });
});

describe("loadtest input errors", () => {
  it.each([
    [["--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--concurrency", "1,x"], "--concurrency must be a comma-separated list"],
    [["--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--bogus"], "Unknown option '--bogus'"],
    [["--endpoint", "not a url", "--model", "m"], "--endpoint must be a URL"],
    [["--outputs", "/nonexistent/outputs.json", "--model", "m"], "cannot read the outputs file /nonexistent/outputs.json: no such file"],
    [["--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--workload", "bulk"], "--workload must be one of fim, chat"],
    [["--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--rate", "5", "--concurrency", "2"], "not both"],
  ])("%j: a short error, no stack trace", async (args, message) => {
    const run = await runCli("loadtest", args);
    expect(run.code === 1 || run.code === 2).toBe(true);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr.split("\n").length).toBeLessThan(6);
  });

  it("reports an unparsable outputs file through the contract's parser", async () => {
    const dir = tempDir("outputs");
    const file = path.join(dir, "outputs.json");
    fs.writeFileSync(file, "{ not json");
    const run = await runCli("loadtest", ["--outputs", file, "--model", "m"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: is not valid JSON`);
    expect(run.stderr).not.toMatch(STACK_LINE);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("counts an unreachable endpoint as connection errors and still ends", async () => {
    const run = await runCli("loadtest", [
      "--endpoint",
      "http://127.0.0.1:9/v1",
      "--model",
      "m",
      "--workload",
      "chat",
      "--concurrency",
      "2",
      "--requests",
      "4",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("errors at c=2: connection ×4");
  });
});
