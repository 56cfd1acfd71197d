/**
 * `npm run doctor` against the vLLM fixture behind the gateway's routes: a healthy endpoint
 * passes, and each failure kind is reported as itself (down, wrong key, model missing, TLS
 * expired, FIM markers split, vLLM's routes exposed), with a non-zero exit and the same content
 * as JSON.
 */
import fs from "node:fs";
import path from "node:path";
import { generate } from "selfsigned";
import { fixtureOutputs } from "../../cli/ops/fixture-outputs";
import type { DoctorReport } from "../../core/ops/doctor-report";
import { FixtureFront } from "../fixtures/vllm/front";
import { openAiScript } from "../fixtures/vllm/openai-script";
import { fixtureOps } from "../fixtures/vllm/ops-routes";
import { VllmFixture } from "../fixtures/vllm/server";
import { runCli, STACK_LINE, tempDir } from "./helpers/run-cli";

const MODEL = "qwen2.5-coder-7b";
const KEY = "doctor-test-key";
const DAY = 86_400_000;

describe("doctor against the fixture", () => {
  let fixture: VllmFixture;
  let gateway: FixtureFront;
  let dir: string;

  function writeOutputs(name: string, baseUrl: string, models = [MODEL]): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(fixtureOutputs(models, baseUrl, 32768)));
    return file;
  }

  async function doctor(args: string[], env: Record<string, string | undefined> = { AICOCKPIT_API_KEY: KEY }) {
    const run = await runCli("doctor", [...args, "--json", "--timeout", "5"], { env });
    const report = JSON.parse(run.stdout) as DoctorReport;
    const checks = Object.fromEntries(report.endpoints[0].checks.map((c) => [c.check, c]));
    return { run, report, checks };
  }

  beforeAll(async () => {
    fixture = await VllmFixture.start({ servedModelNames: [MODEL], apiKey: KEY });
    gateway = await FixtureFront.start({ upstreamPort: fixture.port });
    dir = tempDir("doctor");
    fixtureOps(fixture).cacheConfig = { blockSize: 16, numGpuBlocks: 7000, gpuMemoryUtilization: 0.92 };
  });

  afterAll(async () => {
    await gateway.stop();
    await fixture.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes a healthy endpoint, with times to first token and the live KV cache", async () => {
    const outputs = writeOutputs("ok.json", `${gateway.url}/v1`);
    const { run, report, checks } = await doctor([`--outputs`, outputs, "--metrics", `${MODEL}=${fixture.url}/metrics`]);
    expect(run.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.slo).toMatchObject({ availabilityPercent: 99.9, completionTtftP95Ms: 100 });
    for (const id of ["dns", "health", "models", "completion", "chat", "fim", "exposure", "kv-cache"])
      expect(checks[id].status).toBe("pass");
    expect(checks.fim.summary).toBe("The qwen FIM markers are single tokens on the server.");
    expect(checks.completion.data).toMatchObject({ ttftMs: expect.any(Number), outputTokens: expect.any(Number) });
    expect(checks["kv-cache"].summary).toContain("live KV cache 112,000 tokens (7000 blocks of 16)");
    // The table says the same thing.
    const table = await runCli("doctor", ["--outputs", outputs], { env: { AICOCKPIT_API_KEY: KEY } });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("SLO (defaults");
    expect(table.stdout).toMatch(/ok {3}models {5}key accepted/);
    expect(table.stdout).toContain("verdict: every check passed");
  });

  it("checks tool calling where the outputs declare it: a returned call passes, a text answer warns", async () => {
    const outputs = fixtureOutputs([MODEL], `${gateway.url}/v1`, 32768);
    for (const value of Object.values(outputs)) {
      for (const endpoint of Object.values(value))
        if (typeof endpoint === "object" && endpoint) Object.assign(endpoint, { tool_calling: true });
    }
    const file = path.join(dir, "tools.json");
    fs.writeFileSync(file, JSON.stringify(outputs));
    const script = openAiScript(fixture);
    // The chat check takes the first reply, the tools check the second.
    script.chatQueue.push("Hello.", { toolCalls: [{ name: "get_time", arguments: '{"zone":"UTC"}' }] });
    const called = await doctor(["--outputs", file]);
    expect(called.checks.tools).toMatchObject({ status: "pass", summary: "tool calling on: the model called get_time" });
    script.chatQueue.push("Hello.", "It is noon.");
    const text = await doctor(["--outputs", file]);
    expect(text.checks.tools.status).toBe("warn");
    // Outputs without the capability skip the check, as before.
    const skipped = await doctor(["--outputs", writeOutputs("no-tools.json", `${gateway.url}/v1`)]);
    expect(skipped.checks.tools.status).toBe("skip");
  });

  it("checks an Ingress endpoint under its path prefix, where /health is not routed", async () => {
    const prefixed = await FixtureFront.start({ upstreamPort: fixture.port, pathPrefix: "/aicockpit-qwen2-5-coder-7b" });
    try {
      const { run, checks } = await doctor(["--outputs", writeOutputs("prefixed.json", `${prefixed.url}/aicockpit-qwen2-5-coder-7b/v1`)]);
      expect(checks.health).toMatchObject({
        status: "pass",
        summary: "up: /v1/models answers 401 without a key (/health is not routed under the Ingress prefix)",
      });
      for (const id of ["models", "completion", "chat", "fim", "exposure"]) expect(checks[id].status).toBe("pass");
      expect(run.code).toBe(0);
    } finally {
      await prefixed.stop();
    }
  });

  it("reports an endpoint that is down, and checks nothing else", async () => {
    const closed = await FixtureFront.start({ upstreamPort: fixture.port });
    const url = `${closed.url}/v1`;
    await closed.stop();
    const { run, checks } = await doctor(["--outputs", writeOutputs("down.json", url)]);
    expect(run.code).toBe(1);
    expect(checks.health).toMatchObject({ status: "fail", summary: "down: ECONNREFUSED" });
    expect(checks.models).toMatchObject({ status: "skip", summary: "not checked: the endpoint is down" });
  });

  it("reports a wrong API key without printing it, and how to get the right one", async () => {
    const { run, checks } = await doctor(["--outputs", writeOutputs("key.json", `${gateway.url}/v1`)], {
      AICOCKPIT_API_KEY: "wrong-key-123",
    });
    expect(run.code).toBe(1);
    expect(checks.models.status).toBe("fail");
    expect(checks.models.summary).toContain("the API key was refused (wrong key)");
    expect(checks.models.summary).toContain("kubectl -n fixture get secret no-secret");
    expect(run.stdout + run.stderr).not.toContain("wrong-key-123");
    expect(checks.completion.status).toBe("skip");
  });

  it("reports a model the server does not serve", async () => {
    const { run, checks } = await doctor(["--outputs", writeOutputs("missing.json", `${gateway.url}/v1`, ["starcoder2-3b"])]);
    expect(run.code).toBe(1);
    expect(checks.models).toMatchObject({
      status: "fail",
      summary: 'model "starcoder2-3b" is missing: the server serves qwen2.5-coder-7b',
    });
  });

  it("checks a LoRA adapter's endpoint against its parent's max_model_len, which vLLM lists for the model only", async () => {
    const withAdapter = await VllmFixture.start({ servedModelNames: [MODEL], loraAdapters: ["house-style"], apiKey: KEY });
    const front = await FixtureFront.start({ upstreamPort: withAdapter.port });
    try {
      const { run, checks } = await doctor(["--outputs", writeOutputs("adapter.json", `${front.url}/v1`, ["house-style"])]);
      expect(checks.models).toMatchObject({ status: "pass", summary: 'key accepted; "house-style" served with max_model_len 32768' });
      expect(checks.chat.status).toBe("pass");
      expect(run.code).toBe(0);
    } finally {
      await front.stop();
      await withAdapter.stop();
    }
  });

  it("reports FIM markers the server's tokenizer splits, through the gateway's /v1/tokenize", async () => {
    openAiScript(fixture).splitFimFamilies = ["qwen"];
    try {
      const { run, checks } = await doctor(["--outputs", writeOutputs("fim.json", `${gateway.url}/v1`)]);
      expect(run.code).toBe(1);
      expect(checks.fim.status).toBe("fail");
      expect(checks.fim.summary).toContain('splits the qwen FIM markers "<|fim_prefix|>" into');
      expect(checks.fim.data).toMatchObject({
        family: "qwen",
        split: expect.arrayContaining([expect.objectContaining({ marker: "<|fim_middle|>" })]),
      });
      // Everything else still works: only completions would be garbage.
      expect(checks.completion.status).toBe("pass");
      expect(fixture.requestsTo("/tokenize").every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    } finally {
      openAiScript(fixture).splitFimFamilies = [];
    }
  });

  it("reports vLLM's own routes reachable through the endpoint (no gateway in front)", async () => {
    const open = await FixtureFront.start({ upstreamPort: fixture.port, routes: "open" });
    try {
      const { run, checks } = await doctor(["--outputs", writeOutputs("open.json", `${open.url}/v1`)]);
      expect(run.code).toBe(1);
      expect(checks.exposure.status).toBe("fail");
      expect(checks.exposure.data).toEqual({ exposed: ["/metrics", "/docs", "/openapi.json", "/version"] });
      expect(checks.models.status).toBe("pass");
    } finally {
      await open.stop();
    }
  });

  describe("TLS", () => {
    async function tlsFront(notBefore: Date, notAfter: Date): Promise<{ front: FixtureFront; ca: string }> {
      const pems = await generate([{ name: "commonName", value: "aicockpit-test" }], {
        keyType: "ec",
        algorithm: "sha256",
        notBeforeDate: notBefore,
        notAfterDate: notAfter,
        extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
      });
      const ca = path.join(dir, `cert-${notAfter.getTime()}.pem`);
      fs.writeFileSync(ca, pems.cert);
      return { front: await FixtureFront.start({ upstreamPort: fixture.port, tls: { key: pems.private, cert: pems.cert } }), ca };
    }

    it("passes a valid certificate the client trusts", async () => {
      const { front, ca } = await tlsFront(new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY));
      try {
        const { run, checks } = await doctor(["--outputs", writeOutputs("tls-ok.json", `${front.url}/v1`)], {
          AICOCKPIT_API_KEY: KEY,
          NODE_EXTRA_CA_CERTS: ca,
        });
        expect(checks.tls.status).toBe("pass");
        expect(checks.tls.summary).toMatch(/^trusted chain aicockpit-test, valid until \d{4}-\d\d-\d\d \((89|90) days\)$/);
        expect(run.code).toBe(0);
      } finally {
        await front.stop();
      }
    });

    it("reports an expired certificate and checks nothing over it", async () => {
      const expiredOn = new Date(Date.now() - 2 * DAY);
      const { front, ca } = await tlsFront(new Date(Date.now() - 30 * DAY), expiredOn);
      try {
        const { run, checks } = await doctor(["--outputs", writeOutputs("tls-expired.json", `${front.url}/v1`)], {
          AICOCKPIT_API_KEY: KEY,
          NODE_EXTRA_CA_CERTS: ca,
        });
        expect(run.code).toBe(1);
        expect(checks.tls.status).toBe("fail");
        expect(checks.tls.summary).toContain(`certificate expired on ${expiredOn.toISOString().slice(0, 10)}`);
        expect(checks.health).toMatchObject({ status: "skip", summary: "not checked: the certificate is not valid" });
      } finally {
        await front.stop();
      }
    });

    it("reports a certificate no trusted CA signed", async () => {
      const { front } = await tlsFront(new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY));
      try {
        const { checks } = await doctor(["--outputs", writeOutputs("tls-untrusted.json", `${front.url}/v1`)]);
        expect(checks.tls.status).toBe("fail");
        expect(checks.tls.summary).toContain("certificate chain not trusted (DEPTH_ZERO_SELF_SIGNED_CERT");
      } finally {
        await front.stop();
      }
    });
  });
});

describe("doctor input errors", () => {
  it.each([
    [[], "--outputs FILE is required"],
    [["--outputs", "/nonexistent/o.json"], "cannot read the outputs file /nonexistent/o.json: no such file"],
    [["--outputs", "/nonexistent/o.json", "--metrics", "nourl"], "--metrics takes MODEL=URL"],
    [["--outputs", "x", "--timeout", "soon"], "--timeout must be a number"],
  ])("%j: a short error, no stack trace", async (args, message) => {
    const run = await runCli("doctor", args);
    expect(run.code === 1 || run.code === 2).toBe(true);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
