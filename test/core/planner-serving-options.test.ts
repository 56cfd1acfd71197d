/** The planner's memory math for the serving options: a speculative draft model and LoRA slots. */
import { GIB, loraBytesPerGpu, weightBytes } from "../../core/planning/memory";
import { kvBytesPerTokenPerGpu, type PlanInput } from "../../core/planning/planner";
import { catalogGpu, catalogModel, planInput, planned } from "../helpers/planner";

const model = catalogModel;
const plan = (overrides: Partial<PlanInput>) =>
  planned(planInput({ model: model("starcoder2-15b"), gpu: catalogGpu("L40S"), gpusPerNode: 2, gpusAvailable: 2, ...overrides }));

describe("a speculative-decoding draft model", () => {
  const draft = model("starcoder2-3b");
  const without = plan({});
  const withDraft = plan({ draft });

  it("counts the draft's 16-bit weights, split like the model by tensor parallelism", () => {
    expect(without.overheadBytesPerGpu.draftWeights).toBe(0);
    expect(withDraft.overheadBytesPerGpu.draftWeights).toBe(weightBytes(draft, "none"));
    expect(plan({ draft, tensorParallel: 2 }).overheadBytesPerGpu.draftWeights).toBe(weightBytes(draft, "none") / 2);
    // The target's fp8 does not quantize the draft.
    expect(plan({ draft, quantization: "fp8" }).overheadBytesPerGpu.draftWeights).toBe(weightBytes(draft, "none"));
  });

  it("adds the draft's layers to each token's KV cache, so fewer tokens fit", () => {
    const draftPerToken = kvBytesPerTokenPerGpu(draft, 1, 1, "auto");
    expect(withDraft.kvBytesPerTokenPerGpu).toBe(without.kvBytesPerTokenPerGpu + draftPerToken);
    expect(withDraft.kvCacheTokens).toBeLessThan(without.kvCacheTokens);
    // 3B of 16-bit weights (~6 GiB) and a 30-layer KV share: a quarter or more of the cache goes.
    expect(withDraft.kvCacheTokens / without.kvCacheTokens).toBeLessThan(0.75);
  });
});

describe("LoRA slots", () => {
  it("reserves rank × (in + out) per wrapped projection, per slot, in 16 bits", () => {
    const coder = model("qwen2.5-coder-7b-instruct");
    // Qwen2.5-Coder-7B: h 3584, q 3584, kv 512, MLP 18944.
    const perLayer = 3584 + (3584 + 2 * 512) + (3584 + 3584) + (3584 + 2 * 18944) + (18944 + 3584);
    expect(loraBytesPerGpu(coder, { maxRank: 16, maxLoras: 1 }, 1)).toBe(perLayer * 28 * 16 * 2);
    expect(loraBytesPerGpu(coder, { maxRank: 64, maxLoras: 4 }, 1)).toBe(perLayer * 28 * 64 * 4 * 2);
    expect(loraBytesPerGpu(coder, { maxRank: 16, maxLoras: 1 }, 2)).toBe(perLayer * 14 * 16 * 2);
  });

  it("counts every expert of a mixture of experts", () => {
    const moe = model("qwen3-coder-30b-a3b-instruct");
    // 128 experts of 768 per layer outweigh the attention: over 1 GiB per rank-16 slot.
    expect(loraBytesPerGpu(moe, { maxRank: 16, maxLoras: 1 }, 1) / GIB).toBeGreaterThan(1);
  });

  it("comes out of the KV cache", () => {
    const without = plan({ model: model("starcoder2-7b") });
    const withLora = plan({ model: model("starcoder2-7b"), lora: { maxRank: 64, maxLoras: 4 } });
    expect(withLora.overheadBytesPerGpu.lora).toBe(loraBytesPerGpu(model("starcoder2-7b"), { maxRank: 64, maxLoras: 4 }, 1));
    expect(withLora.kvCacheTokens).toBeLessThan(without.kvCacheTokens);
  });
});
