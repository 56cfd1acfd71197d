import { classifyHealth, LatencyStats, percentile, statusBarText } from "../../src/core";

describe("classifyHealth", () => {
  const url = "http://127.0.0.1:8000/v1";
  test("ok when every wanted model is served", () => {
    expect(classifyHealth({ ok: true, models: ["a", "b"] }, ["a"], url).kind).toBe("ok");
  });
  test("model not found names what the server has", () => {
    const h = classifyHealth({ ok: true, models: ["qwen-x", "other"] }, ["qwen2.5-coder-7b"], url);
    expect(h.kind).toBe("model-not-found");
    expect(h.detail).toContain('"qwen2.5-coder-7b"');
    expect(h.detail).toContain("qwen-x, other");
  });
  test("401/403 → unauthorized; no status → unreachable; other statuses → error", () => {
    expect(classifyHealth({ ok: false, status: 401 }, ["a"], url).kind).toBe("unauthorized");
    expect(classifyHealth({ ok: false, status: 403 }, ["a"], url).kind).toBe("unauthorized");
    expect(classifyHealth({ ok: false, error: "ECONNREFUSED" }, ["a"], url)).toEqual({
      kind: "unreachable",
      detail: `${url} is unreachable (ECONNREFUSED).`,
    });
    expect(classifyHealth({ ok: false, status: 502 }, ["a"], url).kind).toBe("error");
  });
});

describe("statusBarText", () => {
  test("fixed wording the end-to-end tests read", () => {
    expect(statusBarText("ok", "qwen2.5-coder-7b", 41.6)).toBe("$(hubot) AiCockpit qwen2.5-coder-7b · 42 ms");
    expect(statusBarText("ok", "m")).toBe("$(hubot) AiCockpit m");
    expect(statusBarText("unreachable", "m")).toBe("$(hubot) AiCockpit unreachable");
    expect(statusBarText("unauthorized")).toBe("$(hubot) AiCockpit unauthorized");
    expect(statusBarText("model-not-found", "m")).toBe("$(hubot) AiCockpit m · model not found");
  });
});

describe("LatencyStats", () => {
  test("nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  test("window keeps only the last samples; count keeps all", () => {
    const stats = new LatencyStats(10);
    for (let i = 1; i <= 30; i++) stats.record(i);
    expect(stats.summary()).toEqual({ count: 30, last: 30, p50: 25, p95: 30, max: 30 });
    stats.record(Number.NaN);
    expect(stats.count).toBe(30);
    expect(stats.format("completions")).toBe("completions: 30 samples, last 30 ms, p50 25 ms, p95 30 ms, max 30 ms");
    expect(new LatencyStats().format("x")).toBe("x: no samples yet");
  });
});
