/**
 * `npm run connect` without a cluster: the real @kubernetes/client-node against a stand-in for
 * the Kubernetes API on 127.0.0.1 (pod list, portforward WebSocket). It finds the model's Ready
 * pod by the kit's labels, forwards the API and metrics ports, writes an outputs file with local
 * URLs that doctor passes through, finds another pod when the first one goes, and stops on
 * Ctrl-C. What a real API server adds (authentication, SPDY fallback) is not covered here.
 */
import fs from "node:fs";
import path from "node:path";
import { loadEnvironment } from "../../core/load-environment";
import { forwardTarget, outputsWithBaseUrls } from "../../core/ops/connect-plan";
import { endpointUrl, SUMMARY_PLACEHOLDERS } from "../../core/endpoint-url";
import type { DoctorReport } from "../../core/ops/doctor-report";
import { parseDeploymentOutputs } from "../../extension/src/core/outputs";
import { FixtureFront } from "../fixtures/vllm/front";
import { fixtureOps } from "../fixtures/vllm/ops-routes";
import { VllmFixture } from "../fixtures/vllm/server";
import { FakeKubeApi } from "./helpers/fake-kube-api";
import { runCli, STACK_LINE, startCli, tempDir } from "./helpers/run-cli";

const ENV = "local";
const environment = loadEnvironment(ENV);
const model = environment.models[0];
const MODEL = model.config.servedName;
const KEY = "connect-key";

/** The outputs `cdktf deploy` writes for the local environment (ClusterIP base URL). */
function deploymentOutputs(): unknown {
  return outputsWithBaseUrls(
    ENV,
    [
      {
        environment: ENV,
        served_model_name: MODEL,
        base_url: endpointUrl(environment.config.exposure, MODEL, 0, environment.config.namespace, SUMMARY_PLACEHOLDERS),
        role: model.config.role,
        fim_template: model.spec.fimTemplate,
        max_model_len: model.plan.maxModelLen,
        api_key_secret: "aicockpit/aicockpit-api-key",
      },
    ],
    new Map(),
  );
}

describe("connect through a stand-in Kubernetes API", () => {
  let fixture: VllmFixture;
  let gateway: FixtureFront;
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;
  let outputs: string;

  beforeAll(async () => {
    fixture = await VllmFixture.start({ servedModelNames: [MODEL], apiKey: KEY });
    gateway = await FixtureFront.start({ upstreamPort: fixture.port });
    api = await FakeKubeApi.start();
    dir = tempDir("connect");
    kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, api.kubeconfig());
    outputs = path.join(dir, "aicockpit-outputs.json");
    fs.writeFileSync(outputs, JSON.stringify(deploymentOutputs()));
  });

  afterAll(async () => {
    await api.stop();
    await gateway.stop();
    await fixture.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes local URLs that reach the model, keeps going when its pod is replaced, and stops on Ctrl-C", async () => {
    const target = forwardTarget(MODEL, environment.config.namespace);
    const ports = { [target.apiPort]: gateway.port, [target.metricsPort]: fixture.port };
    api.pods = [{ name: "qwen-a", ready: true, ports }];
    const written = path.join(dir, "local.json");
    const connect = startCli("connect", [
      "--env",
      ENV,
      "--outputs",
      outputs,
      "--write",
      written,
      "--kubeconfig",
      kubeconfig,
      "--context",
      "test",
    ]);
    try {
      await connect.waitFor("Ctrl-C closes the forwards.");
      expect(connect.output()).toContain(`${MODEL}: forwarding to pod qwen-a:${target.apiPort}`);
      expect(api.podListQueries[0]).toBe(`${environment.config.namespace}?${target.labelSelector}`);

      // The written file is an outputs file the extension's parser reads, with a local base URL.
      const parsed = parseDeploymentOutputs(fs.readFileSync(written, "utf8"), written);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const [endpoint] = parsed.endpoints;
      expect(endpoint).toMatchObject({ servedModelName: MODEL, environment: ENV, maxModelLen: model.plan.maxModelLen });
      expect(endpoint.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

      // Requests cross the forward both ways, through the pod's gateway port.
      const models = await fetch(`${endpoint.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(models.status).toBe(200);
      expect(((await models.json()) as { data: { id: string }[] }).data[0].id).toBe(MODEL);
      expect(api.forwards.some((f) => f.pod === "qwen-a" && f.port === target.apiPort)).toBe(true);

      // doctor on the written file passes, and reads the KV cache through the metrics forward.
      const metricsUrl = /\(metrics (http:\/\/127\.0\.0\.1:\d+\/metrics)\)/.exec(connect.output())![1];
      const doctor = await runCli("doctor", ["--outputs", written, "--metrics", `${MODEL}=${metricsUrl}`, "--json"], {
        env: { AICOCKPIT_API_KEY: KEY },
      });
      const report = JSON.parse(doctor.stdout) as DoctorReport;
      expect(report.endpoints[0].checks.filter((c) => c.status === "fail")).toEqual([]);
      expect(report.endpoints[0].checks.find((c) => c.check === "kv-cache")?.status).toBe("pass");

      // The pod is replaced: the next connection fails over to the new Ready pod.
      api.setPods([
        { name: "qwen-a", ready: false, ports },
        { name: "qwen-b", ready: true, ports },
      ]);
      const attempt = () =>
        fetch(`${endpoint.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } }).then(
          (r) => r.status,
          () => "failed",
        );
      // The kept-alive connection dies with the old pod, the next one still asks for it and fails
      // (404), and the one after that goes to the new pod.
      const statuses: unknown[] = [];
      while (statuses.at(-1) !== 200 && statuses.length < 4) statuses.push(await attempt());
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.length).toBeLessThanOrEqual(3);
      await connect.waitFor(`${MODEL}: forward failed (Unexpected server response: 404); retrying with the next connection`);
      await connect.waitFor(`${MODEL}: reconnected to pod qwen-b:${target.apiPort}`);
    } finally {
      connect.interrupt();
    }
    const run = await connect.done;
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("lets doctor and loadtest --env open the same forwards themselves, and compares the live KV cache with the planner", async () => {
    const target = forwardTarget(MODEL, environment.config.namespace);
    api.setPods([{ name: "qwen-c", ready: true, ports: { [target.apiPort]: gateway.port, [target.metricsPort]: fixture.port } }]);
    // vLLM found 3 % less KV cache than the planner predicted.
    const liveBlocks = Math.round((model.plan.kvCacheTokens * 0.97) / 16);
    fixtureOps(fixture).cacheConfig = { blockSize: 16, numGpuBlocks: liveBlocks, gpuMemoryUtilization: 0.92 };
    const access = ["--env", ENV, "--kubeconfig", kubeconfig, "--context", "test"];

    const doctor = await runCli("doctor", ["--outputs", outputs, ...access, "--json"], { env: { AICOCKPIT_API_KEY: KEY } });
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(doctor.code).toBe(0);
    expect(report.slo.source).toBe(environment.file);
    const checks = Object.fromEntries(report.endpoints[0].checks.map((c) => [c.check, c]));
    expect(report.endpoints[0].checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(checks.fim.status).toBe("pass");
    const live = liveBlocks * 16;
    expect(checks["kv-cache"]).toMatchObject({
      status: "pass",
      data: {
        calibration: {
          liveTokens: live,
          predictedTokens: model.plan.kvCacheTokens,
          errorPercent: Math.round(((model.plan.kvCacheTokens - live) / live) * 1000) / 10,
        },
      },
    });
    expect(checks["kv-cache"].summary).toContain(`planner predicted ${model.plan.kvCacheTokens.toLocaleString("en-US")}`);

    const load = await runCli(
      "loadtest",
      ["--outputs", outputs, ...access, "--model", MODEL, "--workload", "chat", "--concurrency", "2", "--requests", "6"],
      {
        env: { AICOCKPIT_API_KEY: KEY },
      },
    );
    expect(load.code).toBe(0);
    expect(load.stdout).toContain(`${MODEL}: forwarding to pod qwen-c:${target.apiPort}`);
    expect(load.stdout).toMatch(/^c=2 +6 +0 /m);
    expect(load.stdout).toContain(`SLO (${environment.file})`);
  });

  it.each([
    [["--env", "nope"], 'no environment named "nope"'],
    [["--outputs", "x.json"], "--env NAME is required"],
    [["--env", ENV, "--outputs", "/nonexistent/outputs.json"], "cannot read the outputs file /nonexistent/outputs.json"],
  ])("%j: a short error", async (args, message) => {
    const run = await runCli("connect", args);
    expect(run.code === 1 || run.code === 2).toBe(true);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("says so when the kubeconfig lacks the context, or the API cannot be reached", async () => {
    const noContext = await runCli("connect", ["--env", ENV, "--outputs", outputs, "--kubeconfig", kubeconfig, "--context", "prod"]);
    expect(noContext.code).toBe(1);
    expect(noContext.stderr).toContain(`has no context "prod" (it has: test)`);
    const closed = path.join(dir, "closed-kubeconfig");
    fs.writeFileSync(closed, api.kubeconfig().replace(api.url, "http://127.0.0.1:9"));
    const refused = await runCli("connect", [
      "--env",
      ENV,
      "--outputs",
      outputs,
      "--kubeconfig",
      closed,
      "--context",
      "test",
      "--timeout",
      "5",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cannot list the pods of ${MODEL} in ${environment.config.namespace}`);
    expect(refused.stderr).not.toMatch(STACK_LINE);
  });
});
