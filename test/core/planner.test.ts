import { modelSpec, type ModelSpec } from "../../core/catalog/models";
import { GIB, MIB } from "../../core/planning/memory";
import { kvBytesPerToken, kvBytesPerTokenPerGpu, validTensorParallelSizes, type PlanInput } from "../../core/planning/planner";
import { catalogGpu, catalogModel, planInput, planned, refused, vllmRelease } from "../helpers/planner";

const V11 = vllmRelease("v0.11.0");
const problems = (overrides: Partial<PlanInput>) => refused(planInput(overrides));
const plan = (overrides: Partial<PlanInput>) => planned(planInput(overrides));

/** An AWQ checkpoint of Qwen2.5-Coder-7B's shape, as a config.json would describe it. */
const awqCoder: ModelSpec = modelSpec("org/coder-awq", "org/coder-awq", "qwen", {
  ...catalogModel("qwen2.5-coder-7b-instruct"),
  checkpointQuantization: { method: "awq", bits: 4 },
});

describe("KV cache bytes per token", () => {
  it("is 128 KiB for Llama-3.1-8B in bf16 (2 × 32 layers × 8 KV heads × 128 × 2 bytes)", () => {
    expect(kvBytesPerToken(catalogModel("llama-3.1-8b-instruct"), 1, "auto")).toBe(128 * 1024);
  });

  it("halves with an fp8 KV cache", () => {
    expect(kvBytesPerToken(catalogModel("llama-3.1-8b-instruct"), 1, "fp8")).toBe(64 * 1024);
  });

  it("is 56 KiB for Qwen2.5-Coder-7B (28 layers × 4 KV heads)", () => {
    expect(kvBytesPerToken(catalogModel("qwen2.5-coder-7b-instruct"), 1, "auto")).toBe(2 * 28 * 4 * 128 * 2);
  });

  it("replicates KV heads when TP exceeds them: Qwen2.5-Coder-1.5B (2 KV heads) at TP 4 stores 4 heads", () => {
    const qwenSmall = catalogModel("qwen2.5-coder-1.5b-instruct");
    expect(kvBytesPerToken(qwenSmall, 4, "auto")).toBe(2 * 28 * 4 * 128 * 2);
    expect(kvBytesPerTokenPerGpu(qwenSmall, 4, 1, "auto")).toBe(2 * 28 * 1 * 128 * 2);
    expect(kvBytesPerTokenPerGpu(qwenSmall, 2, 1, "auto")).toBe(2 * 28 * 1 * 128 * 2);
  });

  it("uses the compressed latent for MLA models (DeepSeek-Coder-V2-Lite: 27 × (512 + 64) × 2 bytes per rank)", () => {
    expect(kvBytesPerToken(catalogModel("deepseek-coder-v2-lite-instruct"), 1, "auto")).toBe(27 * 576 * 2);
    expect(kvBytesPerToken(catalogModel("deepseek-coder-v2-lite-instruct"), 2, "auto")).toBe(27 * 576 * 2 * 2);
    expect(kvBytesPerTokenPerGpu(catalogModel("deepseek-coder-v2-lite-instruct"), 2, 1, "fp8")).toBe(27 * 576);
  });

  it("gives each pipeline stage its layers, the largest stage counting (27 layers over 2 stages: 14)", () => {
    expect(kvBytesPerTokenPerGpu(catalogModel("llama-3.1-8b-instruct"), 1, 2, "auto")).toBe(64 * 1024);
    expect(kvBytesPerTokenPerGpu(catalogModel("deepseek-coder-v2-lite-instruct"), 1, 2, "auto")).toBe(14 * 576 * 2);
    const p = plan({
      model: catalogModel("llama-3.1-8b-instruct"),
      gpu: catalogGpu("L40S"),
      pipelineParallel: 2,
      gpusPerNode: 2,
      gpusAvailable: 2,
    });
    expect(p.kvBytesPerTokenPerGpu).toBe(64 * 1024);
    expect(p.kvBytesPerToken).toBe(128 * 1024);
  });
});

describe("the memory split, term by term", () => {
  it("computes Qwen2.5-Coder-7B on one L4 under vLLM v0.29.0 by hand", () => {
    const p = plan({ maxModelLen: 32768 });
    const budget = 21.74 * GIB * 0.92;
    const weights = catalogModel("qwen2.5-coder-7b-instruct").parameters * 2;
    const activations = 2048 * 2 * (3 * 18944 + 4 * 3584);
    const sampler = 256 * 152064 * 4;
    const graphs = 256 * MIB + 29 * 9 * MIB;
    const fixed = 1.28 * GIB;
    expect(p.overheadBytesPerGpu).toEqual({ fixed, activations, sampler, collectives: 0, cudaGraphs: graphs, draftWeights: 0, lora: 0 });
    expect(p.weightBytesPerGpu).toBe(weights);
    const kv = (budget - weights - fixed - activations - sampler - graphs) * 0.98;
    expect(p.kvCacheTokens).toBe(Math.floor(kv / 57344 / 16) * 16);
    expect(p.kvCacheTokens).toBe(66320);
    expect(p).toMatchObject({
      gpusPerReplica: 1,
      nodesPerReplica: 1,
      gpuMemoryUtilization: 0.92,
      maxNumBatchedTokens: 2048,
      maxNumSeqs: 256,
      servedQuantization: "none",
      budgetGiBPerGpu: 20,
      weightGiBPerGpu: 14.19,
      overheadGiBPerGpu: 2.2,
      kvCacheGiBPerGpu: 3.54,
      maxModelLen: 32768,
      largestMaxModelLen: 32768,
      maxConcurrency: 2.02,
      typicalRequestTokens: 4096,
      concurrencyAtTypicalLength: 16.19,
      warnings: [],
    });
  });

  it("leaves CUDA graphs out of the budget before v0.21 and subtracts collectives at TP > 1", () => {
    const p = plan({ vllm: V11, gpu: catalogGpu("A100-80GB"), tensorParallel: 2, gpusPerNode: 2, gpusAvailable: 2 });
    expect(p.gpuMemoryUtilization).toBe(0.9);
    expect(p.overheadBytesPerGpu).toEqual({
      fixed: 0.2 * GIB,
      activations: 2048 * 2 * ((3 * 18944) / 2 + 4 * 3584),
      sampler: 256 * 152064 * 4,
      collectives: 0.2 * GIB + 24 * MIB,
      cudaGraphs: 0,
      draftWeights: 0,
      lora: 0,
    });
    expect(p.weightBytesPerGpu).toBe(catalogModel("qwen2.5-coder-7b-instruct").parameters);
  });

  it("adds graph memory for a replica of several GPUs and the cross-node cost for several nodes", () => {
    const p = plan({
      model: catalogModel("llama-3.1-8b-instruct"),
      gpu: catalogGpu("L40S"),
      tensorParallel: 2,
      pipelineParallel: 2,
      gpusPerNode: 2,
      gpusAvailable: 4,
    });
    expect(p.nodesPerReplica).toBe(2);
    expect(p.overheadBytesPerGpu.collectives).toBe(0.2 * GIB + 24 * MIB + 1 * GIB);
    expect(p.overheadBytesPerGpu.cudaGraphs).toBe(256 * MIB + 33 * 9 * MIB + 160 * MIB);
    expect(p.gpusPerReplica).toBe(4);
  });

  it("takes the release's batch defaults for the GPU, or the model's own settings", () => {
    expect(plan({ gpu: catalogGpu("H100-80GB") })).toMatchObject({ maxNumBatchedTokens: 8192, maxNumSeqs: 1024 });
    expect(plan({ gpu: catalogGpu("A100-80GB") })).toMatchObject({ maxNumBatchedTokens: 2048, maxNumSeqs: 256 });
    expect(plan({ gpu: catalogGpu("B200") })).toMatchObject({ maxNumBatchedTokens: 16384, maxNumSeqs: 1024 });
    expect(plan({ gpu: catalogGpu("B200"), vllm: V11 })).toMatchObject({ maxNumBatchedTokens: 8192, maxNumSeqs: 1024 });
    const tuned = plan({ gpu: catalogGpu("L40S"), maxNumBatchedTokens: 8192, maxNumSeqs: 512, gpuMemoryUtilization: 0.95 });
    expect(tuned).toMatchObject({ maxNumBatchedTokens: 8192, maxNumSeqs: 512, gpuMemoryUtilization: 0.95 });
    expect(tuned.overheadBytesPerGpu.activations).toBe(8192 * 2 * (3 * 18944 + 4 * 3584));
    expect(tuned.overheadBytesPerGpu.sampler).toBe(512 * 152064 * 4);
  });

  it("caps concurrency at the typical length by maxNumSeqs", () => {
    const p = plan({
      model: catalogModel("qwen2.5-coder-1.5b-instruct"),
      gpu: catalogGpu("H100-80GB"),
      maxNumSeqs: 64,
      typicalRequestTokens: 100,
    });
    expect(p.concurrencyAtTypicalLength).toBe(64);
    expect(p.typicalRequestTokens).toBe(100);
    const q = plan({ typicalRequestTokens: 16384, maxModelLen: 16384 });
    expect(q.concurrencyAtTypicalLength).toBe(Math.floor((q.kvCacheTokens / 16384) * 100) / 100);
  });

  it("sizes 4-bit weights from the checkpoint: linear layers at 4.25 bits, embeddings in 16 bits", () => {
    const p = plan({ model: awqCoder });
    const embeddings = 152064 * 3584 * 2;
    expect(p.weightBytesPerGpu).toBeCloseTo((awqCoder.parameters - embeddings) * (4.25 / 8) + embeddings * 2, 0);
    expect(p.servedQuantization).toBe("awq");
  });

  it("serves fp8 weights in one byte each, embeddings in two", () => {
    const p = plan({ quantization: "fp8" });
    const spec = catalogModel("qwen2.5-coder-7b-instruct");
    const embeddings = 152064 * 3584 * 2;
    expect(p.weightBytesPerGpu).toBe(spec.parameters - embeddings + embeddings * 2);
    expect(p.servedQuantization).toBe("fp8");
  });

  it("caps an unset maxModelLen to what the KV cache holds, with a warning", () => {
    const p = plan({ model: catalogModel("llama-3.1-8b-instruct"), maxModelLen: undefined });
    expect(p.maxModelLen).toBe(Math.floor(p.kvCacheTokens / 1024) * 1024);
    expect(p.largestMaxModelLen).toBe(p.kvCacheTokens);
    expect(p.warnings).toEqual([
      `maxModelLen not set: using ${p.maxModelLen}, the longest context the KV cache holds (the model supports 131072)`,
    ]);
  });

  it("uses the model's maximum when the KV cache holds it and maxModelLen is not set", () => {
    const p = plan({ model: catalogModel("qwen2.5-coder-1.5b-instruct"), maxModelLen: undefined });
    expect(p.maxModelLen).toBe(32768);
    expect(p.largestMaxModelLen).toBe(32768);
    expect(p.warnings).toEqual([]);
  });
});

describe("planner refusals name the field, the reason and a fix that works", () => {
  it("rejects TP that does not divide the attention heads, listing the sizes the pool can take", () => {
    expect(problems({ tensorParallel: 3, gpusPerNode: 8, gpusAvailable: 8 })).toEqual([
      {
        field: "tensorParallel",
        message: "qwen2.5-coder-7b-instruct has 28 attention heads, which 3 GPUs cannot split evenly",
        fix: "set tensorParallel to one of 1, 2, 4, 7",
      },
    ]);
    expect(problems({ tensorParallel: 3, gpusPerNode: 8, gpusAvailable: 4 })[0].fix).toBe("set tensorParallel to one of 1, 2, 4");
  });

  it("rejects TP above the GPUs of one node", () => {
    expect(problems({ tensorParallel: 4, gpusPerNode: 2, gpusAvailable: 8 })).toEqual([
      {
        field: "tensorParallel",
        message: "tensorParallel 4 exceeds the 2 GPUs of one node (tensor parallelism needs one node's interconnect)",
        fix: "use tensorParallel ≤ 2 and pipelineParallel across nodes, or a pool with more GPUs per node",
      },
    ]);
  });

  it("rejects TP × PP above the GPUs available", () => {
    expect(problems({ tensorParallel: 2, pipelineParallel: 2, gpusPerNode: 2, gpusAvailable: 2 })).toEqual([
      {
        field: "pipelineParallel",
        message: "tensorParallel × pipelineParallel = 4 GPUs, but the pool has 2",
        fix: "lower tensorParallel/pipelineParallel or add nodes to the pool",
      },
    ]);
  });

  it("accepts TP × PP equal to the GPUs available, and one node's worth spanning none", () => {
    expect(
      plan({
        model: catalogModel("llama-3.1-8b-instruct"),
        gpu: catalogGpu("L40S"),
        tensorParallel: 2,
        pipelineParallel: 2,
        gpusPerNode: 4,
        gpusAvailable: 4,
      }).nodesPerReplica,
    ).toBe(1);
  });

  it("rejects a multi-node replica that does not fill whole nodes", () => {
    expect(
      problems({ model: catalogModel("llama-3.1-8b-instruct"), tensorParallel: 2, pipelineParallel: 3, gpusPerNode: 4, gpusAvailable: 8 }),
    ).toEqual([
      {
        field: "pipelineParallel",
        message: "a replica spanning nodes must fill whole nodes: 6 GPUs is not a multiple of 4 per node",
        fix: "choose tensorParallel × pipelineParallel as a multiple of 4",
      },
    ]);
  });

  it("rejects PP above the layer count", () => {
    expect(
      problems({ model: catalogModel("qwen2.5-coder-1.5b-instruct"), pipelineParallel: 32, gpusPerNode: 8, gpusAvailable: 32 }),
    ).toEqual([
      { field: "pipelineParallel", message: "pipelineParallel 32 exceeds the model's 28 layers", fix: "use pipelineParallel ≤ 28" },
    ]);
    expect(
      plan({
        model: catalogModel("qwen2.5-coder-1.5b-instruct"),
        pipelineParallel: 28,
        gpusPerNode: 28,
        gpusAvailable: 28,
        gpu: catalogGpu("H100-80GB"),
      }).gpusPerReplica,
    ).toBe(28);
  });

  it("rejects a maxModelLen beyond the model's positions, and accepts it at the limit", () => {
    expect(problems({ model: catalogModel("starcoder2-3b"), maxModelLen: 32768 })).toEqual([
      { field: "maxModelLen", message: "maxModelLen 32768 exceeds what starcoder2-3b supports (16384)", fix: "set maxModelLen ≤ 16384" },
    ]);
    expect(plan({ model: catalogModel("starcoder2-3b"), maxModelLen: 16384 }).maxModelLen).toBe(16384);
  });

  it("rejects weights that do not fit and proposes the smallest TP that fits, then fp8 when it fits", () => {
    expect(problems({ model: catalogModel("qwen2.5-coder-32b-instruct"), gpusPerNode: 4, gpusAvailable: 4 })).toEqual([
      {
        field: "model",
        message:
          "qwen2.5-coder-32b-instruct needs 61.03 GiB of weights per GPU, but a L4 has 17.36 GiB for weights at gpuMemoryUtilization 0.92",
        fix: "tensorParallel: 4, or a GPU with more memory (npm run plan lists the layouts that fit)",
      },
    ]);
    const onL40S = problems({
      model: catalogModel("qwen2.5-coder-14b-instruct"),
      gpu: catalogGpu("A10G"),
      gpusPerNode: 2,
      gpusAvailable: 2,
    });
    expect(onL40S[0].fix).toBe(
      "tensorParallel: 2, or quantization: fp8, or a GPU with more memory (npm run plan lists the layouts that fit)",
    );
  });

  it("suggests no TP the pool cannot give and no fp8 when the weights are fp8 already", () => {
    // A node of two GPUs, but the pool holds one: TP 2 (which would fit) is not the pool's to give.
    const [problem] = problems({
      model: catalogModel("qwen2.5-coder-32b-instruct"),
      quantization: "fp8",
      gpusPerNode: 2,
      gpusAvailable: 1,
    });
    expect(problem.field).toBe("model");
    expect(problem.message).toBe(
      "qwen2.5-coder-32b-instruct needs 31.96 GiB of weights per GPU, but a L4 has 17.36 GiB for weights at gpuMemoryUtilization 0.92",
    );
    expect(problem.fix).toBe("a GPU with more memory (npm run plan lists the layouts that fit)");
  });

  it("stays on the pool's GPUs when suggesting TP: a node of 8 with 4 GPUs in the pool offers at most 4", () => {
    const [problem] = problems({
      model: catalogModel("llama-3.1-70b-instruct"),
      gpu: catalogGpu("L40S"),
      gpusPerNode: 8,
      gpusAvailable: 4,
      maxModelLen: 4096,
    });
    expect(problem.fix).toBe("tensorParallel: 4, or a GPU with more memory (npm run plan lists the layouts that fit)");
  });

  it("rejects a KV cache that cannot hold one max-length sequence, with options that each fit", () => {
    const [problem] = problems({ model: catalogModel("llama-3.1-8b-instruct"), maxModelLen: 131072, gpusPerNode: 2, gpusAvailable: 2 });
    expect(problem).toEqual({
      field: "maxModelLen",
      message: "the KV cache holds 23072 tokens, fewer than one sequence of maxModelLen 131072",
      // An fp8 KV cache or fp8 weights alone would hold 46k and 37k tokens: not one sequence, so not offered.
      fix: "maxModelLen: 22528, or tensorParallel: 2",
    });
  });

  it("leaves out options that change nothing: no fp8 when the weights and the KV cache are fp8 already", () => {
    const fp8 = { model: catalogModel("qwen2.5-coder-14b-instruct"), quantization: "fp8", kvCacheDtype: "fp8" } as const;
    expect(problems({ ...fp8, maxModelLen: 32768 })).toEqual([
      {
        field: "maxModelLen",
        message: "the KV cache holds 26256 tokens, fewer than one sequence of maxModelLen 32768",
        fix: "maxModelLen: 25600",
      },
    ]);
  });

  it("falls back to a bigger GPU when not even 1024 tokens fit", () => {
    const tight = {
      model: catalogModel("qwen2.5-coder-14b-instruct"),
      quantization: "fp8",
      kvCacheDtype: "fp8",
      gpuMemoryUtilization: 0.81,
    } as const;
    expect(problems(tight)).toEqual([
      {
        field: "maxModelLen",
        message: "the KV cache holds 656 tokens, fewer than one sequence of maxModelLen 8192",
        fix: "use a GPU with more memory (npm run plan lists the layouts that fit)",
      },
    ]);
    expect(problems({ ...tight, maxModelLen: undefined })).toEqual([
      {
        field: "maxModelLen",
        message: "the KV cache holds 656 tokens, fewer than one sequence of maxModelLen 1024",
        fix: "use a GPU with more memory (npm run plan lists the layouts that fit)",
      },
    ]);
    expect(plan({ ...tight, gpuMemoryUtilization: 0.812, maxModelLen: undefined }).maxModelLen).toBe(1024);
  });

  it("refuses a batch smaller than its sequences, as vLLM does", () => {
    expect(problems({ maxNumBatchedTokens: 128, maxNumSeqs: 256 })).toEqual([
      {
        field: "maxNumBatchedTokens",
        message: "maxNumBatchedTokens 128 is below maxNumSeqs 256: vLLM refuses a batch smaller than its sequences",
        fix: "set maxNumBatchedTokens ≥ 256, or lower maxNumSeqs",
      },
    ]);
    expect(plan({ maxNumBatchedTokens: 256, maxNumSeqs: 256 }).maxNumBatchedTokens).toBe(256);
  });

  it("refuses a quantization the checkpoint cannot be served in", () => {
    expect(problems({ model: awqCoder, quantization: "fp8" })).toEqual([
      {
        field: "quantization",
        message: "org/coder-awq is published awq-quantized; vLLM refuses to serve it as fp8",
        fix: "remove quantization (vLLM reads the checkpoint's own awq) or set quantization: awq",
      },
    ]);
    expect(plan({ model: awqCoder, quantization: "awq" }).servedQuantization).toBe("awq");
    expect(problems({ quantization: "gptq" })).toEqual([
      {
        field: "quantization",
        message: "gptq needs a checkpoint published gptq-quantized; Qwen/Qwen2.5-Coder-7B-Instruct has bfloat16 weights",
        fix: "use quantization: fp8 (vLLM quantizes 16-bit weights as it loads them), or serve an gptq checkpoint described by its config.json",
      },
    ]);
    expect(problems({ quantization: "awq" })[0].message).toBe(
      "awq needs a checkpoint published awq-quantized; Qwen/Qwen2.5-Coder-7B-Instruct has bfloat16 weights",
    );
  });

  it("refuses a utilization that leaves no room for the CUDA context, or, before v0.21, for the graphs", () => {
    expect(problems({ gpuMemoryUtilization: 0.98 })).toEqual([
      {
        field: "gpuMemoryUtilization",
        message: "gpuMemoryUtilization 0.98 leaves 0.43 GiB of a L4 outside vLLM's budget, but the CUDA context need 0.5 GiB there",
        fix: "set gpuMemoryUtilization ≤ 0.97",
      },
    ]);
    expect(plan({ gpuMemoryUtilization: 0.97 }).gpuMemoryUtilization).toBe(0.97);
    expect(problems({ vllm: V11, gpuMemoryUtilization: 0.96 })).toEqual([
      {
        field: "gpuMemoryUtilization",
        message:
          "gpuMemoryUtilization 0.96 leaves 0.87 GiB of a L4 outside vLLM's budget, but the CUDA context and the CUDA graphs vLLM v0.11.0 captures above the budget need 1 GiB there",
        fix: "set gpuMemoryUtilization ≤ 0.95",
      },
    ]);
    expect(plan({ vllm: V11, gpuMemoryUtilization: 0.95 }).gpuMemoryUtilization).toBe(0.95);
  });

  it("reports every structural problem at once", () => {
    expect(problems({ tensorParallel: 3, gpusPerNode: 2, gpusAvailable: 2, maxModelLen: 65536 }).map((p) => p.field)).toEqual([
      "tensorParallel",
      "tensorParallel",
      "pipelineParallel",
      "maxModelLen",
    ]);
  });
});

describe("the edges of the refusals", () => {
  const llama8 = { model: catalogModel("llama-3.1-8b-instruct") };

  it("accepts a maxModelLen equal to the KV cache's tokens", () => {
    expect(problems({ ...llama8, maxModelLen: 32768 })[0].message).toBe(
      "the KV cache holds 23072 tokens, fewer than one sequence of maxModelLen 32768",
    );
    expect(plan({ ...llama8, maxModelLen: 23072 })).toMatchObject({ kvCacheTokens: 23072, maxModelLen: 23072, maxConcurrency: 1 });
  });

  it("offers an fp8 KV cache and fp8 weights when each alone holds the sequence", () => {
    expect(problems({ ...llama8, maxModelLen: 32768 })[0].fix).toBe("maxModelLen: 22528, or kvCacheDtype: fp8, or quantization: fp8");
  });

  it("offers a maxModelLen of 1024 when just that fits", () => {
    const tight = {
      model: catalogModel("qwen2.5-coder-14b-instruct"),
      quantization: "fp8",
      kvCacheDtype: "fp8",
      gpuMemoryUtilization: 0.812,
    } as const;
    expect(problems(tight)).toEqual([
      {
        field: "maxModelLen",
        message: "the KV cache holds 1120 tokens, fewer than one sequence of maxModelLen 8192",
        fix: "maxModelLen: 1024",
      },
    ]);
  });

  it("offers a larger TP only if it holds the requested length, not just 1024 tokens", () => {
    // Qwen2.5-Coder-32B on two A100 40GB: TP 2 holds the weights and a short context, not 32768 tokens.
    const [problem] = problems({
      model: catalogModel("qwen2.5-coder-32b-instruct"),
      gpu: catalogGpu("A100-40GB"),
      gpusPerNode: 2,
      gpusAvailable: 2,
      maxModelLen: 32768,
    });
    expect(problem.fix).toBe("a GPU with more memory (npm run plan lists the layouts that fit)");
    expect(
      plan({
        model: catalogModel("qwen2.5-coder-32b-instruct"),
        gpu: catalogGpu("A100-40GB"),
        gpusPerNode: 2,
        gpusAvailable: 2,
        tensorParallel: 2,
        maxModelLen: 1024,
      }).gpusPerReplica,
    ).toBe(2);
  });

  it("offers the TP a node has only when the pool has that many GPUs", () => {
    const seventy = { model: catalogModel("llama-3.1-70b-instruct"), gpu: catalogGpu("L40S"), gpusPerNode: 8, maxModelLen: 131072 };
    expect(problems({ ...seventy, gpusAvailable: 8 })[0].fix).toBe(
      "tensorParallel: 8, or a GPU with more memory (npm run plan lists the layouts that fit)",
    );
    expect(problems({ ...seventy, gpusAvailable: 4 })[0].fix).toBe("a GPU with more memory (npm run plan lists the layouts that fit)");
  });
});

describe("warnings", () => {
  it("warns about tensor parallelism over PCIe", () => {
    expect(plan({ gpu: catalogGpu("L4"), tensorParallel: 2, gpusPerNode: 2, gpusAvailable: 2 }).warnings).toEqual([
      "tensorParallel 2 on L4 runs over PCIe (no NVLink): expect slower tokens; pipelineParallel or replicas scale better there",
    ]);
    expect(plan({ gpu: catalogGpu("H100-80GB"), tensorParallel: 2, gpusPerNode: 2, gpusAvailable: 2 }).warnings).toEqual([]);
  });

  it("warns about fp8 weights on a GPU without FP8 tensor cores, not on one with them", () => {
    expect(plan({ gpu: catalogGpu("A100-40GB"), quantization: "fp8" }).warnings).toEqual([
      "A100-40GB has no FP8 tensor cores: FP8 weights run through slower weight-only kernels",
    ]);
    expect(plan({ gpu: catalogGpu("L40S"), quantization: "fp8" }).warnings).toEqual([]);
    expect(plan({ gpu: catalogGpu("A100-40GB") }).warnings).toEqual([]);
  });
});

describe("valid tensor-parallel sizes", () => {
  it("lists the divisors of the attention heads up to the node size", () => {
    expect(validTensorParallelSizes(catalogModel("llama-3.1-70b-instruct"), 8)).toEqual([1, 2, 4, 8]);
    expect(validTensorParallelSizes(catalogModel("qwen2.5-coder-1.5b-instruct"), 12)).toEqual([1, 2, 3, 4, 6, 12]);
    expect(validTensorParallelSizes(catalogModel("qwen2.5-coder-1.5b-instruct"), 1)).toEqual([1]);
  });
});
