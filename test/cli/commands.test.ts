/** The two commands a user runs first, run as the user runs them. */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const TSX = path.join(REPO, "node_modules/.bin/tsx");

describe("npm run synth (the main job)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-synth-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("writes cdktf.out for the default environment and prints the plan and endpoints", () => {
    const outdir = path.join(scratch, "cdktf.out");
    const stdout = execFileSync(TSX, ["cli/synth.ts", "--out", outdir], { cwd: REPO, encoding: "utf8" });
    expect(stdout).toContain("Environment local (environments/local.yaml)");
    expect(stdout).toMatch(/model\s+qwen2\.5-coder-7b — Qwen\/Qwen2\.5-Coder-7B-Instruct/);
    expect(stdout).toMatch(/1 GPU\(s\)\/replica \(TP 1 × PP 1\)/);
    expect(stdout).toMatch(/weights [\d.]+ GiB\/GPU · KV cache [\d.]+ GiB\/GPU .* = [\d,]+ tokens/);
    expect(stdout).toMatch(/max concurrency [\d.]+×/);
    expect(stdout).toContain("endpoint http://aicockpit-qwen2-5-coder-7b.aicockpit.svc.cluster.local:8000/v1");
    expect(stdout).toMatch(/monitoring kube-prometheus-stack [\d.]+ \+ dcgm-exporter [\d.]+ .* TTFT p95 ≤ 100 ms/);
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/aicockpit-local/cdk.tf.json"), "utf8"));
    expect(Object.keys(tf.resource)).toContain("kubernetes_deployment_v1");
  });
});

describe("npm run plan", () => {
  it("prints the plan as JSON", () => {
    const stdout = execFileSync(
      TSX,
      ["cli/plan.ts", "--model", "llama-3.1-8b-instruct", "--gpu", "L40S", "--max-model-len", "32768", "--json"],
      { cwd: REPO, encoding: "utf8" },
    );
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ gpus: 1, kvBytesPerToken: 131072, maxModelLen: 32768, warnings: [] });
    expect(plan.weightsGiBPerGpu).toBeCloseTo((8.03e9 * 2) / 1024 ** 3, 1);
    expect(plan.kvCacheTokens).toBeGreaterThan(32768);
    expect(plan.maxConcurrency).toBeCloseTo(plan.kvCacheTokens / 32768, 1);
  });

  it("explains why a model does not fit and exits non-zero", () => {
    const run = spawnSync(TSX, ["cli/plan.ts", "--model", "llama-3.1-70b-instruct", "--gpu", "A10G", "--tp", "3"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("tensorParallel: llama-3.1-70b-instruct has 64 attention heads, which 3 GPUs cannot split evenly");
    expect(run.stderr).toContain("fix: set tensorParallel to one of 1, 2, 4, 8");
  });

  it("rejects an unknown GPU with the catalog", () => {
    const run = spawnSync(TSX, ["cli/plan.ts", "--model", "starcoder2-3b", "--gpu", "T4"], { cwd: REPO, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown GPU "T4": use one of L4, A10G/);
  });

  it.each([
    [["--model", "starcoder2-3b", "--gpu", "L4", "--bogus"], /Unknown option '--bogus'.*known flags: --model/],
    [["--model", "starcoder2-3b", "--gpu", "L4", "--tp"], /--tp <value>' argument missing/],
    [["--model", "starcoder2-3b", "--gpu", "L4", "stray"], /Unexpected argument 'stray'/],
    [["--model", "starcoder2-3b", "--gpu", "L4", "--tp", "2x"], /--tp must be a whole number, got "2x"/],
  ])("refuses bad flags %j with a usage line and exit 2", (argv, message) => {
    const run = spawnSync(TSX, ["cli/plan.ts", ...argv], { cwd: REPO, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("usage: npm run plan");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
