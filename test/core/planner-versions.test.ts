/** The planner follows the vLLM release the image pins, and the server spec passes only flags that release accepts. */
import { findGpu } from "../../core/catalog/gpus";
import { parseEnvironment, type PlannedModel } from "../../core/load-environment";
import { GIB } from "../../core/planning/memory";
import { KNOWN_VLLM_TAGS, PINNED_VLLM_TAG, VLLM_RELEASES, findVllmRelease, unknownVllmTagFix } from "../../core/planning/vllm-versions";
import { VLLM_FLAG_HISTORY, compareVllmTags, flagHistory } from "../../core/vllm-flag-history";
import { vllmArgs } from "../../core/vllm-server-spec";

const environment = (tag: string, model = "{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu }") => `
target: { kind: kubernetes, context: lab }
image: { tag: ${tag} }
gpuPools: [{ name: gpu, gpu: L40S, gpusPerNode: 2, nodes: 2 }]
models: [${model}]
`;

describe("the vLLM releases the planner knows", () => {
  it("are the calibrated ones and the current pin, oldest first", () => {
    expect(KNOWN_VLLM_TAGS).toEqual(["v0.10.1.1", "v0.11.0", "v0.29.0"]);
    expect(PINNED_VLLM_TAG).toBe("v0.29.0");
    expect(findVllmRelease(PINNED_VLLM_TAG)?.tag).toBe(PINNED_VLLM_TAG);
    expect(findVllmRelease("v0.29")).toBeUndefined();
  });

  it("carry each release's defaults and accounting", () => {
    expect(
      VLLM_RELEASES.map((r) => [r.tag, r.defaultGpuMemoryUtilization, r.accounting.countsCudaGraphs, r.accounting.fixedBytes / GIB]),
    ).toEqual([
      ["v0.10.1.1", 0.9, false, 0.2],
      ["v0.11.0", 0.9, false, 0.2],
      ["v0.29.0", 0.92, true, 1.28],
    ]);
  });

  it.each([
    ["L4", "v0.11.0", 2048, 256],
    ["A100-80GB", "v0.11.0", 2048, 256],
    ["H100-80GB", "v0.11.0", 8192, 1024],
    ["H200", "v0.11.0", 8192, 1024],
    ["B200", "v0.11.0", 8192, 1024],
    ["L40S", "v0.29.0", 2048, 256],
    ["A100-80GB", "v0.29.0", 2048, 256],
    ["H100-80GB", "v0.29.0", 8192, 1024],
    ["H200", "v0.29.0", 8192, 1024],
    ["B200", "v0.29.0", 16384, 1024],
  ])("default the batch on %s under %s to %i tokens and %i sequences", (gpu, tag, tokens, seqs) => {
    expect(findVllmRelease(tag)!.batchDefaults(findGpu(gpu)!)).toEqual({ maxNumBatchedTokens: tokens, maxNumSeqs: seqs });
  });

  it("draw the batch tiers at 70 GiB and 160 GiB of CUDA memory", () => {
    const gpuWith = (cudaMemoryGiB: number, id = "X") => ({ ...findGpu("H100-80GB")!, id, cudaMemoryGiB });
    const v29 = findVllmRelease("v0.29.0")!;
    expect(v29.batchDefaults(gpuWith(69.99)).maxNumBatchedTokens).toBe(2048);
    expect(v29.batchDefaults(gpuWith(70)).maxNumBatchedTokens).toBe(8192);
    expect(v29.batchDefaults(gpuWith(159.99)).maxNumBatchedTokens).toBe(8192);
    expect(v29.batchDefaults(gpuWith(160)).maxNumBatchedTokens).toBe(16384);
    expect(v29.batchDefaults(gpuWith(160, "A100-X")).maxNumBatchedTokens).toBe(16384);
    expect(v29.batchDefaults(gpuWith(80, "A100-X")).maxNumBatchedTokens).toBe(2048);
  });

  it("tells how to fix an unknown tag", () => {
    expect(unknownVllmTagFix()).toBe("pin one of the vLLM releases the planner knows: v0.10.1.1, v0.11.0, v0.29.0");
  });
});

describe("an environment's image tag selects the release", () => {
  it("refuses a tag whose accounting the planner does not know, naming the ones it knows", () => {
    expect(() => parseEnvironment("env", "env.yaml", environment("v0.33.0"))).toThrow(
      "env.yaml: image.tag: the planner does not know the memory accounting of vLLM v0.33.0\n" +
        "  fix: pin one of the vLLM releases the planner knows: v0.10.1.1, v0.11.0, v0.29.0",
    );
  });

  it("still reports the file's other problems next to an unknown tag", () => {
    const model = "{ servedName: chat, model: llama-3.1-8b-instruct, role: both, pool: gpu }";
    expect(() => parseEnvironment("env", "env.yaml", environment("v0.99.0", model))).toThrow(/image\.tag[\s\S]*models\[0\]\.role/);
  });

  it("uses the release's default utilization when the model sets none", () => {
    const [v29] = parseEnvironment("env", "env.yaml", environment("v0.29.0")).models;
    const [v11] = parseEnvironment("env", "env.yaml", environment("v0.11.0")).models;
    expect(v29.plan.gpuMemoryUtilization).toBe(0.92);
    expect(v11.plan.gpuMemoryUtilization).toBe(0.9);
    expect(vllmArgs(v29)).toContain("--gpu-memory-utilization=0.92");
    expect(vllmArgs(v11)).toContain("--gpu-memory-utilization=0.9");
    expect(v29.plan.overheadBytesPerGpu.cudaGraphs).toBeGreaterThan(0);
    expect(v11.plan.overheadBytesPerGpu.cudaGraphs).toBe(0);
  });

  it("passes the batch the plan sized, the release's default or the model's", () => {
    const [byDefault] = parseEnvironment("env", "env.yaml", environment("v0.29.0")).models;
    expect(vllmArgs(byDefault)).toEqual(expect.arrayContaining(["--max-num-batched-tokens=2048", "--max-num-seqs=256"]));
    const tuned =
      "{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxNumBatchedTokens: 8192, maxNumSeqs: 64 }";
    const [set] = parseEnvironment("env", "env.yaml", environment("v0.29.0", tuned)).models;
    expect(vllmArgs(set)).toEqual(expect.arrayContaining(["--max-num-batched-tokens=8192", "--max-num-seqs=64"]));
  });

  it("refuses the two batch flags in extraArgs, since the kit sets them", () => {
    const model =
      '{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, extraArgs: ["--max-num-seqs=8", "--max-num-batched-tokens=512"] }';
    expect(() => parseEnvironment("env", "env.yaml", environment("v0.29.0", model))).toThrow(
      /extraArgs\[0\]: "--max-num-seqs=8" sets --max-num-seqs, which is managed by the kit from maxNumSeqs[\s\S]*extraArgs\[1\]: "--max-num-batched-tokens=512" sets --max-num-batched-tokens, which is managed by the kit from maxNumBatchedTokens/,
    );
  });
});

describe("the flags the kit passes, against the release each appeared in", () => {
  /** Every argument a plan can make the kit pass: quantized, fp8 KV cache, float16, two nodes. */
  function widestArgs(tag: string): string[] {
    const quantized = `{ servedName: a, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, quantization: fp8, kvCacheDtype: fp8, dtype: float16, maxModelLen: 8192 }`;
    const spanning = `{ servedName: b, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, tensorParallel: 2, pipelineParallel: 2, dtype: bfloat16, maxModelLen: 8192 }`;
    const yaml = `${environment(tag, `${quantized}, ${spanning}`).replace("nodes: 2", "nodes: 3")}modelCache: { accessMode: ReadWriteMany, storageClass: nfs }\n`;
    const env = parseEnvironment("env", "env.yaml", yaml);
    return env.models.flatMap((model: PlannedModel) => vllmArgs(model));
  }

  it.each(KNOWN_VLLM_TAGS)("are all accepted by %s", (tag) => {
    const args = widestArgs(tag);
    expect(args).toEqual(
      expect.arrayContaining([
        "--quantization=fp8",
        "--kv-cache-dtype=fp8",
        "--dtype=float16",
        "--dtype=bfloat16",
        "--distributed-executor-backend=ray",
      ]),
    );
    const missing = args.filter((arg) => flagHistory(arg) === undefined);
    expect(missing).toEqual([]);
    const tooNew = args.filter((arg) => compareVllmTags(flagHistory(arg)!.since, tag) > 0);
    expect(tooNew).toEqual([]);
  });

  it("has an entry for awq and gptq too, which a config.json checkpoint brings", () => {
    expect(flagHistory("--quantization=awq")?.since).toBe("v0.2.0");
    expect(flagHistory("--quantization=gptq")?.since).toBe("v0.2.6");
    expect(flagHistory("--quantization=marlin")).toBeUndefined();
    expect(flagHistory("--model=org/x")?.flag).toBe("--model");
  });

  it("names a source for every flag", () => {
    for (const entry of VLLM_FLAG_HISTORY) expect(entry.source).toMatch(/#\d+ .*\(?[0-9a-f]{9}/);
  });

  it("orders release tags numerically", () => {
    expect(compareVllmTags("v0.10.1.1", "v0.9.2")).toBeGreaterThan(0);
    expect(compareVllmTags("v0.4.2", "v0.4.10")).toBeLessThan(0);
    expect(compareVllmTags("v0.11.0", "0.11")).toBe(0);
    expect(compareVllmTags("v0.29.0", "v0.29.0.1")).toBeLessThan(0);
  });
});
