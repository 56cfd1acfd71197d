/**
 * `npm run fixture`: the vLLM fixture on its own, behind the gateway's routes, with the latency,
 * failures and models asked for, an outputs file the tools read, and Ctrl-C to stop.
 */
import fs from "node:fs";
import path from "node:path";
import { outputsWithBaseUrls, forwardTarget } from "../../core/ops/connect-plan";
import { parseDeploymentOutputs } from "../../extension/src/core/outputs";
import { runCli, STACK_LINE, startCli, tempDir } from "./helpers/run-cli";

describe("npm run fixture", () => {
  it("serves the asked models with the asked latency and failures, and stops on Ctrl-C", async () => {
    const dir = tempDir("fixture");
    const outputs = path.join(dir, "outputs.json");
    const fixture = startCli(
      "fixture",
      [
        "--models",
        "qwen2.5-coder-7b,chat-model",
        "--ttft-ms",
        "60",
        "--tokens-per-s",
        "50",
        "--fail-rate",
        "0.5",
        "--outputs",
        outputs,
        "--json",
      ],
      {
        env: { AICOCKPIT_API_KEY: "fixture-key" },
      },
    );
    try {
      await fixture.waitFor("\n");
      const info = JSON.parse(fixture.output().split("\n")[0]) as { baseUrl: string; metricsUrl: string };
      const parsed = parseDeploymentOutputs(fs.readFileSync(outputs, "utf8"), outputs);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.endpoints.map((e) => [e.servedModelName, e.role, e.fimTemplate, e.baseUrl])).toEqual([
        ["qwen2.5-coder-7b", "both", "qwen", info.baseUrl],
        ["chat-model", "chat", "none", info.baseUrl],
      ]);
      const origin = info.baseUrl.replace(/\/v1$/, "");
      // Gateway routes only; vLLM's /metrics stays on its own port.
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
      expect((await fetch(info.metricsUrl)).status).toBe(200);
      expect((await fetch(`${info.baseUrl}/models`)).status).toBe(401);
      const ask = () =>
        fetch(`${info.baseUrl}/chat/completions`, {
          method: "POST",
          headers: { authorization: "Bearer fixture-key", "content-type": "application/json" },
          body: JSON.stringify({ model: "chat-model", messages: [{ role: "user", content: "hi" }], max_tokens: 2 }),
        });
      const started = Date.now();
      const statuses = [(await ask()).status, (await ask()).status];
      // Half of the requests fail, evenly: one of two; a success waits its 60 ms first token.
      expect(statuses.sort()).toEqual([200, 500]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    } finally {
      fixture.interrupt();
    }
    const run = await fixture.done;
    expect(run.code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [["--fail-rate", "2"], "--fail-rate must be between 0 and 1"],
    [["--port=-1"], "--port must be between 0 and 65535"],
    [["--models", ","], "--models must name at least one served model"],
    [["--speed", "9"], "Unknown option '--speed'"],
  ])("%j: a short error", async (args, message) => {
    const run = await runCli("fixture", args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe("connect plan", () => {
  it("selects a model's pods by every label the kit puts on them, and its gateway and vLLM ports", () => {
    expect(forwardTarget("qwen2.5-coder-7b", "aicockpit")).toEqual({
      servedName: "qwen2.5-coder-7b",
      namespace: "aicockpit",
      labelSelector:
        "app.kubernetes.io/name=vllm,app.kubernetes.io/part-of=aicockpit,app.kubernetes.io/instance=aicockpit-qwen2-5-coder-7b,aicockpit.dev/model=qwen2.5-coder-7b",
      apiPort: 8080,
      metricsPort: 8000,
    });
  });

  it("rewrites only the base URLs it has local ones for", () => {
    const endpoint = (name: string) => ({
      environment: "local",
      served_model_name: name,
      base_url: `http://aicockpit-${name}.aicockpit.svc.cluster.local:8000/v1`,
      role: "chat" as const,
      fim_template: "none" as const,
      max_model_len: 4096,
      api_key_secret: "aicockpit/aicockpit-api-key",
    });
    const written = outputsWithBaseUrls("local", [endpoint("a"), endpoint("b")], new Map([["a", "http://127.0.0.1:1234/v1"]]));
    const parsed = parseDeploymentOutputs(JSON.stringify(written), "local.json");
    if (!parsed.ok) throw new Error("unparsable");
    expect(parsed.endpoints.map((e) => e.baseUrl)).toEqual([
      "http://127.0.0.1:1234/v1",
      "http://aicockpit-b.aicockpit.svc.cluster.local:8000/v1",
    ]);
    expect(Object.keys(written)).toEqual(["aicockpit-local"]);
  });
});
