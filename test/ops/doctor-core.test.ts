/** doctor's pure parts: TLS verdicts, the KV-cache calibration, the metrics reader, the report. */
import { doctorReport, formatDoctorReport, skipRemaining } from "../../core/ops/doctor-report";
import { calibrate, liveKvCache } from "../../core/ops/kv-calibration";
import { parseSamples } from "../../core/ops/prometheus-text";
import { tlsVerdict, type TlsFacts } from "../../core/ops/tls-verdict";

const NOW = new Date("2026-11-26T12:00:00Z");
const facts = (over: Partial<TlsFacts> = {}): TlsFacts => ({
  authorized: true,
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validTo: new Date("2027-01-01T00:00:00Z"),
  chain: ["api.example.com", "Example CA"],
  ...over,
});

describe("TLS verdict", () => {
  it.each([
    [facts(), "pass", "trusted chain api.example.com ← Example CA, valid until 2027-01-01 (35 days)"],
    [facts({ validTo: new Date("2026-12-01T00:00:00Z") }), "warn", "certificate expires in 4 days (2026-12-01): renew it"],
    [
      facts({ validTo: new Date("2026-11-01T00:00:00Z"), authorized: false, authorizationError: "CERT_HAS_EXPIRED" }),
      "fail",
      "certificate expired on 2026-11-01",
    ],
    [
      facts({ authorized: false, authorizationError: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" }),
      "fail",
      "certificate chain not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    ],
    [facts({ hostnameError: "Host: x. is not in the cert's altnames" }), "fail", "certificate does not name the host"],
    [facts({ validFrom: new Date("2026-12-24T00:00:00Z") }), "fail", "certificate not valid before"],
  ])("%#: %s", (input, status, summary) => {
    const verdict = tlsVerdict(input, NOW);
    expect(verdict.status).toBe(status);
    expect(verdict.summary).toContain(summary);
  });
});

describe("KV-cache calibration", () => {
  const scrape = [
    "# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig",
    "# TYPE vllm:cache_config_info gauge",
    'vllm:cache_config_info{block_size="16",cache_dtype="auto",num_gpu_blocks="9000",engine="0"} 1.0',
    'vllm:num_requests_running{model_name="m",engine="0"} 3.0',
  ].join("\n");

  it("reads vLLM's block size and block count and compares them with the planner", () => {
    const live = liveKvCache(parseSamples(scrape, "vllm:cache_config_info"));
    expect(live).toEqual({ blockSize: 16, numGpuBlocks: 9000, tokens: 144000, engines: 1 });
    expect(calibrate(live as Exclude<typeof live, { missing: string }>, 150_000)).toEqual({
      liveTokens: 144000,
      predictedTokens: 150000,
      errorPercent: 4.2,
    });
  });

  it("says why when the info gauge is missing or unusable", () => {
    expect(liveKvCache(parseSamples('vllm:num_requests_running{model_name="m"} 1'))).toEqual({
      missing: expect.stringContaining("is not among the metrics"),
    });
    expect(liveKvCache(parseSamples('vllm:cache_config_info{block_size="16",num_gpu_blocks="None"} 1'))).toEqual({
      missing: expect.stringContaining('got "16", "None"'),
    });
  });

  it("reads escaped label values and skips malformed lines", () => {
    expect(parseSamples('a{x="q\\"uote",y="b\\\\s"} 2\nnot a sample\n')).toEqual([
      { name: "a", labels: { x: 'q"uote', y: "b\\s" }, value: 2 },
    ]);
  });
});

describe("doctor report", () => {
  const slo = { availabilityPercent: 99.9, completionTtftP95Ms: 100, source: "defaults" };

  it("fails when any check fails, and says how many", () => {
    const endpoint = {
      environment: "dev",
      model: "m",
      baseUrl: "https://m.example.com/v1",
      checks: [
        { check: "dns" as const, status: "pass" as const, summary: "ok" },
        { check: "health" as const, status: "fail" as const, summary: "down: ECONNREFUSED" },
        ...skipRemaining([], ["models", "chat"], "the endpoint is down"),
      ],
    };
    const report = doctorReport("o.json", slo, [endpoint]);
    expect(report.ok).toBe(false);
    expect(formatDoctorReport(report)).toEqual([
      "m (dev) https://m.example.com/v1",
      "  ok   dns        ok",
      "  FAIL health     down: ECONNREFUSED",
      "  -    models     not checked: the endpoint is down",
      "  -    chat       not checked: the endpoint is down",
      "verdict: 1 check FAILED (0 warnings)",
    ]);
  });
});
