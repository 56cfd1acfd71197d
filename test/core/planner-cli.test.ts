/** `npm run plan`, run as a user runs it: a model from its config.json, the numbers to act on, the layouts that fit. */
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const TSX = path.join(REPO, "node_modules/.bin/tsx");
const run = (args: string[]) => spawnSync(TSX, ["cli/plan.ts", ...args], { cwd: REPO, encoding: "utf8" });

describe("npm run plan -- --model-config", () => {
  it("plans a model that is not in the catalog from its config.json", () => {
    const stdout = execFileSync(
      TSX,
      [
        "cli/plan.ts",
        "--model-config",
        "test/fixtures/model-configs/qwen3-14b-awq.json",
        "--hf-repo",
        "Qwen/Qwen3-14B-AWQ",
        "--gpu",
        "L40S",
        "--max-model-len",
        "40960",
        "--json",
      ],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(JSON.parse(stdout)).toEqual({
      gpus: 1,
      nodes: 1,
      gpuMemoryUtilization: 0.92,
      maxNumBatchedTokens: 2048,
      maxNumSeqs: 256,
      weightsGiBPerGpu: 9.44,
      overheadGiBPerGpu: 2.31,
      kvBytesPerToken: 163840,
      kvBytesPerTokenPerGpu: 163840,
      kvCacheGiBPerGpu: 28.51,
      kvCacheTokens: 186832,
      maxModelLen: 40960,
      largestMaxModelLen: 40960,
      maxConcurrency: 4.56,
      typicalRequestTokens: 4096,
      concurrencyAtTypicalLength: 45.61,
      warnings: [],
    });
  });

  it("prints the split, the longest context, the concurrency and the flags it sizes", () => {
    const result = run([
      "--model-config",
      "test/fixtures/model-configs/llama-3.1-8b.json",
      "--gpu",
      "L4",
      "--max-model-len",
      "16384",
      "--typical-request-tokens",
      "2048",
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("llama-3.1-8b (8.03 B parameters) on L4 (23034 MiB, 21.74 GiB to CUDA) · TP 1 × PP 1 · vLLM v0.29.0");
    expect(result.stdout).toMatch(
      /max model length 16,384 \(fits up to [\d,]+\) · max concurrency [\d.]+× at full length, [\d.]+× at 2,048 tokens/,
    );
    expect(result.stdout).toMatch(
      /vLLM budget 20 GiB\/GPU \(gpuMemoryUtilization 0\.92\) − weights − [\d.]+ GiB: fixed 1\.28, activations [\d.]+, sampler [\d.]+, collectives 0, CUDA graphs [\d.]+/,
    );
    expect(result.stdout).toContain("server flags --max-num-batched-tokens=2048 --max-num-seqs=256");
  });

  it("names the field a config.json lacks", () => {
    const result = run(["--model-config", "test/fixtures/model-configs/missing-intermediate-size.json", "--gpu", "L4"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "plan: test/fixtures/model-configs/missing-intermediate-size.json: config.json has no intermediate_size (the MLP width sizes weights and the profiling pass)",
    );
  });

  it("refuses a missing file, and --model with --model-config", () => {
    const missing = run(["--model-config", "nope/config.json", "--gpu", "L4"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("plan: no file at nope/config.json");
    const both = run(["--model", "starcoder2-3b", "--model-config", "test/fixtures/model-configs/llama-3.1-8b.json", "--gpu", "L4"]);
    expect(both.stderr).toContain("plan: give --model or --model-config, not both");
    const neither = run(["--gpu", "L4"]);
    expect(neither.stderr).toContain("plan: --model or --model-config is required");
  });
});

describe("npm run plan for a model that does not fit", () => {
  it("lists the layouts that do, cheapest first", () => {
    const result = run(["--model", "qwen2.5-coder-32b-instruct", "--gpu", "L4", "--max-model-len", "32768", "--gpus-per-node", "1"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("qwen2.5-coder-32b-instruct (32.76 B parameters) on L4");
    expect(result.stderr).toContain("model: qwen2.5-coder-32b-instruct needs 61.03 GiB of weights per GPU");
    expect(result.stderr).toContain(
      [
        "  layouts that fit, cheapest first (GPU memory bought):",
        "    1. 1× L40S (tensorParallel 1, quantization fp8, kvCacheDtype fp8): 45 GiB, 50,032 KV tokens at maxModelLen 32,768",
        "    2. 1× RTX6000Ada (tensorParallel 1, quantization fp8, kvCacheDtype fp8): 45 GiB, 50,336 KV tokens at maxModelLen 32,768",
      ].join("\n"),
    );
  });

  it("gives them as JSON too", () => {
    const result = run(["--model", "qwen2.5-coder-32b-instruct", "--gpu", "L4", "--max-model-len", "32768", "--json"]);
    expect(result.status).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out.errors[0].field).toBe("model");
    expect(out.layouts[0]).toEqual({
      gpu: "L40S",
      tensorParallel: 1,
      quantization: "fp8",
      kvCacheDtype: "fp8",
      totalMemoryGiB: 45,
      maxModelLen: 32768,
      kvCacheTokens: 50032,
    });
  });

  it("says so when no layout fits", () => {
    const result = run(["--model", "qwen2.5-coder-7b-instruct", "--gpu", "L4", "--quantization", "awq"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("no layout in the catalog fits: lower maxModelLen or choose a smaller model");
  });
});

describe("npm run plan and the vLLM release", () => {
  it("plans for the pinned release by default and for another known one on request", () => {
    const pinned = JSON.parse(
      execFileSync(TSX, ["cli/plan.ts", "--model", "starcoder2-3b", "--gpu", "L4", "--json"], { cwd: REPO, encoding: "utf8" }),
    );
    const older = JSON.parse(
      execFileSync(TSX, ["cli/plan.ts", "--model", "starcoder2-3b", "--gpu", "L4", "--vllm", "v0.11.0", "--json"], {
        cwd: REPO,
        encoding: "utf8",
      }),
    );
    expect(pinned.gpuMemoryUtilization).toBe(0.92);
    expect(older.gpuMemoryUtilization).toBe(0.9);
  });

  it("refuses a release it does not know, naming the ones it does", () => {
    const result = run(["--model", "starcoder2-3b", "--gpu", "L4", "--vllm", "v0.33.0"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("plan: the planner does not know vLLM v0.33.0: use one of v0.10.1.1, v0.11.0, v0.29.0");
  });

  it("takes the batch settings and utilization it is given", () => {
    const stdout = execFileSync(
      TSX,
      [
        "cli/plan.ts",
        "--model",
        "starcoder2-3b",
        "--gpu",
        "L4",
        "--max-num-batched-tokens",
        "4096",
        "--max-num-seqs",
        "32",
        "--gpu-memory-utilization",
        "0.8",
        "--json",
      ],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(JSON.parse(stdout)).toMatchObject({ maxNumBatchedTokens: 4096, maxNumSeqs: 32, gpuMemoryUtilization: 0.8 });
  });
});
