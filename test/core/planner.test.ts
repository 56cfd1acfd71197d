import { findGpu, type GpuSpec } from "../../core/catalog/gpus";
import { findModel, type ModelSpec } from "../../core/catalog/models";
import { GIB, MIB } from "../../core/planning/memory";
import { kvBytesPerToken, planModel, type PlanInput } from "../../core/planning/planner";

const model = (id: string): ModelSpec => findModel(id)!;
const gpu = (id: string): GpuSpec => findGpu(id)!;

function input(overrides: Partial<PlanInput>): PlanInput {
  return {
    model: model("qwen2.5-coder-7b-instruct"),
    gpu: gpu("L4"),
    gpusPerNode: 1,
    gpusAvailable: 1,
    tensorParallel: 1,
    pipelineParallel: 1,
    maxModelLen: 8192,
    gpuMemoryUtilization: 0.9,
    quantization: "none",
    kvCacheDtype: "auto",
    ...overrides,
  };
}

function problems(overrides: Partial<PlanInput>) {
  const result = planModel(input(overrides));
  if (result.ok) throw new Error("expected the plan to fail");
  return result.problems;
}

function plan(overrides: Partial<PlanInput>) {
  const result = planModel(input(overrides));
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.problems)}`);
  return result.plan;
}

describe("KV cache bytes per token", () => {
  it("is 128 KiB for Llama-3.1-8B in bf16 (2 × 32 layers × 8 KV heads × 128 × 2 bytes)", () => {
    expect(kvBytesPerToken(model("llama-3.1-8b-instruct"), 1, "auto")).toBe(128 * 1024);
  });

  it("halves with an fp8 KV cache", () => {
    expect(kvBytesPerToken(model("llama-3.1-8b-instruct"), 1, "fp8")).toBe(64 * 1024);
  });

  it("is 56 KiB for Qwen2.5-Coder-7B (28 layers × 4 KV heads)", () => {
    expect(kvBytesPerToken(model("qwen2.5-coder-7b-instruct"), 1, "auto")).toBe(2 * 28 * 4 * 128 * 2);
  });

  it("replicates KV heads when TP exceeds them: Qwen2.5-Coder-1.5B (2 KV heads) at TP 4 stores 4 heads", () => {
    const qwenSmall = model("qwen2.5-coder-1.5b-instruct");
    expect(kvBytesPerToken(qwenSmall, 4, "auto")).toBe(2 * 28 * 4 * 128 * 2);
    const p = plan({ model: qwenSmall, tensorParallel: 4, gpusPerNode: 4, gpusAvailable: 4, gpu: gpu("H100-80GB") });
    expect(p.kvBytesPerTokenPerGpu).toBe(2 * 28 * 1 * 128 * 2);
  });

  it("uses the compressed latent for MLA models (DeepSeek-Coder-V2-Lite: 27 × (512 + 64) × 2 bytes per rank)", () => {
    expect(kvBytesPerToken(model("deepseek-coder-v2-lite-instruct"), 1, "auto")).toBe(27 * 576 * 2);
    expect(kvBytesPerToken(model("deepseek-coder-v2-lite-instruct"), 2, "auto")).toBe(27 * 576 * 2 * 2);
  });

  it("splits the per-GPU share across pipeline stages", () => {
    const p = plan({ model: model("llama-3.1-8b-instruct"), gpu: gpu("L40S"), pipelineParallel: 2, gpusPerNode: 2, gpusAvailable: 2 });
    expect(p.kvBytesPerTokenPerGpu).toBe(64 * 1024);
  });
});

describe("memory plan", () => {
  it("computes weights, KV cache and tokens for Qwen2.5-Coder-7B on one L4 by hand", () => {
    const p = plan({ maxModelLen: 32768, gpuMemoryUtilization: 0.92 });
    const weights = 7.61e9 * 2;
    const overhead = GIB + (8192 * 3584 * 2 * 12) / 1;
    const kv = 23034 * MIB * 0.92 - weights - overhead;
    expect(p.weightBytesPerGpu).toBe(weights);
    expect(p.kvCacheTokens).toBe(Math.floor(kv / 57344 / 16) * 16);
    expect(p.kvCacheTokens).toBeGreaterThan(85000);
    expect(p.maxConcurrency).toBeCloseTo(p.kvCacheTokens / 32768, 1);
    expect(p.gpusPerReplica).toBe(1);
    expect(p.nodesPerReplica).toBe(1);
  });

  it("divides weights across TP × PP GPUs", () => {
    const p = plan({ model: model("llama-3.1-70b-instruct"), gpu: gpu("H100-80GB"), tensorParallel: 8, gpusPerNode: 8, gpusAvailable: 8 });
    expect(p.weightBytesPerGpu).toBeCloseTo((70.55e9 * 2) / 8, 0);
    expect(p.kvBytesPerTokenPerGpu).toBe((2 * 80 * 8 * 128 * 2) / 8);
  });

  it("spans nodes when TP × PP exceeds one node", () => {
    const p = plan({
      model: model("llama-3.1-70b-instruct"),
      gpu: gpu("L40S"),
      tensorParallel: 4,
      pipelineParallel: 2,
      gpusPerNode: 4,
      gpusAvailable: 8,
    });
    expect(p.gpusPerReplica).toBe(8);
    expect(p.nodesPerReplica).toBe(2);
  });

  it("counts 4-bit weights at 4.25 bits per parameter", () => {
    const p = plan({ model: model("qwen2.5-coder-32b-instruct"), gpu: gpu("L40S"), quantization: "awq" });
    expect(p.weightBytesPerGpu).toBeCloseTo((32.5e9 * 4.25) / 8, 0);
  });

  it("caps an unset maxModelLen to what the KV cache holds, with a warning", () => {
    const p = plan({ model: model("llama-3.1-8b-instruct"), maxModelLen: undefined });
    expect(p.maxModelLen).toBeLessThan(131072);
    expect(p.maxModelLen % 1024).toBe(0);
    expect(p.kvCacheTokens).toBeGreaterThanOrEqual(p.maxModelLen);
    expect(p.warnings.join()).toMatch(/maxModelLen not set: using \d+/);
  });
});

describe("planner errors name the field and a fix", () => {
  it("rejects TP that does not divide the attention heads, listing valid sizes", () => {
    const [problem] = problems({ tensorParallel: 3, gpusPerNode: 8, gpusAvailable: 8 });
    expect(problem.field).toBe("tensorParallel");
    expect(problem.message).toMatch(/28 attention heads/);
    expect(problem.fix).toBe("set tensorParallel to one of 1, 2, 4, 7");
  });

  it("rejects TP above the GPUs of one node", () => {
    const list = problems({ tensorParallel: 4, gpusPerNode: 2, gpusAvailable: 8 });
    expect(list.map((p) => p.message).join()).toMatch(/exceeds the 2 GPUs of one node/);
  });

  it("rejects TP × PP above the GPUs available", () => {
    const list = problems({ tensorParallel: 2, pipelineParallel: 2, gpusPerNode: 2, gpusAvailable: 2 });
    expect(list).toEqual([
      expect.objectContaining({ field: "pipelineParallel", message: expect.stringMatching(/4 GPUs, but the pool has 2/) }),
    ]);
  });

  it("rejects PP above the layer count", () => {
    const list = problems({ model: model("qwen2.5-coder-1.5b-instruct"), pipelineParallel: 32, gpusPerNode: 8, gpusAvailable: 32 });
    expect(list.map((p) => p.message)).toContain("pipelineParallel 32 exceeds the model's 28 layers");
  });

  it("rejects weights that do not fit and proposes a TP that would", () => {
    const [problem] = problems({ model: model("qwen2.5-coder-32b-instruct"), gpusPerNode: 4, gpusAvailable: 4 });
    expect(problem.field).toBe("model");
    expect(problem.message).toMatch(/needs 60\.54 GiB of weights per GPU/);
    expect(problem.fix).toMatch(/tensorParallel: 4/);
  });

  it("rejects a KV cache that cannot hold one max-length sequence, naming a length that fits", () => {
    const [problem] = problems({ model: model("llama-3.1-8b-instruct"), maxModelLen: 131072 });
    expect(problem.field).toBe("maxModelLen");
    const fitting = Number(/maxModelLen: (\d+)/.exec(problem.fix)![1]);
    expect(plan({ model: model("llama-3.1-8b-instruct"), maxModelLen: fitting }).kvCacheTokens).toBeGreaterThanOrEqual(fitting);
  });

  it("rejects a maxModelLen beyond the model's positions", () => {
    expect(problems({ model: model("starcoder2-3b"), maxModelLen: 32768 })[0].fix).toBe("set maxModelLen ≤ 16384");
  });
});

describe("warnings", () => {
  it("warns about tensor parallelism over PCIe", () => {
    const p = plan({ gpu: gpu("L4"), tensorParallel: 2, gpusPerNode: 2, gpusAvailable: 2 });
    expect(p.warnings.join()).toMatch(/no NVLink/);
    expect(plan({ gpu: gpu("H100-80GB"), tensorParallel: 2, gpusPerNode: 2, gpusAvailable: 2 }).warnings).toEqual([]);
  });
});
