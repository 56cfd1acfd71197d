/** The vLLM test fixture's `/metrics`: vLLM's names and format, with values a test scripts. */
import { VLLM_METRICS } from "../../monitoring/vllm-metrics";
import { VllmFixture } from "../fixtures/vllm/server";
import { run } from "./helpers/tools";

const MODEL = "qwen2.5-coder-7b";

describe("vLLM fixture /metrics", () => {
  let fixture: VllmFixture;

  beforeEach(async () => {
    fixture = await VllmFixture.start({ servedModelNames: [MODEL, "chat-model"] });
  });
  afterEach(async () => fixture.stop());

  const scrape = async () => {
    const response = await fetch(`${fixture.url}/metrics`);
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };

  it("serves every metric family for every served model, labelled as vLLM labels them", async () => {
    const { status, type, text } = await scrape();
    expect(status).toBe(200);
    expect(type).toContain("text/plain; version=0.0.4");
    for (const model of [MODEL, "chat-model"]) {
      const labels = `{model_name="${model}",engine="0"}`;
      expect(text).toContain(`vllm:num_requests_waiting${labels} 0.0`);
      expect(text).toContain(`vllm:kv_cache_usage_perc${labels} 0.0`);
      expect(text).toContain(`vllm:prefix_cache_queries_total${labels} 0.0`);
      expect(text).toContain(`vllm:time_to_first_token_seconds_count${labels} 0`);
      expect(text).toContain(`vllm:time_to_first_token_seconds_bucket{model_name="${model}",engine="0",le="+Inf"} 0`);
    }
    expect(text).toContain("# TYPE vllm:time_to_first_token_seconds histogram");
    expect(text).toContain("# TYPE vllm:prompt_tokens_total counter");
  });

  it("parses as Prometheus text format (promtool's only complaint is the ':' vLLM puts in its names)", async () => {
    fixture.metrics.observeTtft(MODEL, 0.05, 3);
    const { text } = await scrape();
    const result = await run("promtool", ["check", "metrics"], { input: text });
    const output = result.stdout + result.stderr;
    expect(output).not.toContain("error while linting");
    const problems = output.split("\n").filter((line) => line.trim() !== "");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((line) => !line.endsWith("metric names should not contain ':'"))).toEqual([]);
  });

  it("renders scripted histogram observations as vLLM's cumulative buckets", async () => {
    fixture.metrics.observeTtft(MODEL, 0.05, 4); // bucket le=0.06
    fixture.metrics.observeTtft(MODEL, 0.3, 1); // bucket le=0.5
    fixture.metrics.observeTtft(MODEL, 5000, 1); // beyond the last bound (2560): +Inf only
    const { text } = await scrape();
    const bucket = (le: string) =>
      Number(
        new RegExp(
          `vllm:time_to_first_token_seconds_bucket\\{model_name="${MODEL}",engine="0",le="${le.replace(/[.+]/g, "\\$&")}"\\} (\\S+)`,
        ).exec(text)?.[1],
      );
    expect(bucket("0.04")).toBe(0);
    expect(bucket("0.06")).toBe(4);
    expect(bucket("0.25")).toBe(4);
    expect(bucket("0.5")).toBe(5);
    expect(bucket("2560.0")).toBe(5);
    expect(bucket("+Inf")).toBe(6);
    expect(text).toContain(`vllm:time_to_first_token_seconds_count{model_name="${MODEL}",engine="0"} 6`);
    expect(text).toContain(`vllm:time_to_first_token_seconds_sum{model_name="${MODEL}",engine="0"} 5000.5`);
    expect(VLLM_METRICS.timeToFirstToken.buckets).toContain(2560.0);
  });

  it("reports gauges and counters as set, per model", async () => {
    fixture.metrics.set("numRequestsWaiting", MODEL, 12);
    fixture.metrics.inc("numPreemptions", MODEL, 2);
    fixture.metrics.inc("numPreemptions", MODEL);
    const { text } = await scrape();
    expect(text).toContain(`vllm:num_requests_waiting{model_name="${MODEL}",engine="0"} 12.0`);
    expect(text).toContain(`vllm:num_requests_waiting{model_name="chat-model",engine="0"} 0.0`);
    expect(text).toContain(`vllm:num_preemptions_total{model_name="${MODEL}",engine="0"} 3.0`);
  });

  it("rejects what vLLM could not report", () => {
    expect(() => fixture.metrics.set("numRequestsWaiting", "unknown-model", 1)).toThrow('no model "unknown-model"');
    expect(() => fixture.metrics.inc("promptTokens", MODEL, -1)).toThrow("cannot decrease");
  });

  it("answers 503 while scripted to fail, like a hung engine", async () => {
    fixture.metrics.failScrapes = true;
    expect((await scrape()).status).toBe(503);
    fixture.metrics.failScrapes = false;
    expect((await scrape()).status).toBe(200);
  });
});
