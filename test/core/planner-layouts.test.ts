/** For a model that does not fit where it was asked to run: the layouts that do, cheapest first. */
import { LAYOUT_MAX_GPUS_PER_NODE, fittingLayouts, type Layout } from "../../core/planning/layouts";
import { planModel, type PlanInput } from "../../core/planning/planner";
import { catalogGpu, catalogModel, planInput } from "../helpers/planner";

const input = (overrides: Partial<PlanInput>): PlanInput =>
  planInput({ model: catalogModel("qwen2.5-coder-32b-instruct"), maxModelLen: 32768, ...overrides });

const describeLayouts = (layouts: Layout[]) =>
  layouts.map((l) => `${l.tensorParallel}× ${l.gpu.id} ${l.quantization}/${l.kvCacheDtype} ${l.totalMemoryGiB} GiB ${l.kvCacheTokens}`);
const contexts = (layouts: Layout[]) => [...new Set(layouts.map((l) => l.maxModelLen))];

describe("fitting layouts", () => {
  it("lists where Qwen2.5-Coder-32B runs at 32k, least GPU memory first, less precision given up breaking ties", () => {
    expect(describeLayouts(fittingLayouts(input({})))).toEqual([
      "1× L40S fp8/fp8 45 GiB 50032",
      "1× RTX6000Ada fp8/fp8 45 GiB 50336",
      "2× RTX4090 fp8/fp8 48 GiB 46624",
      "1× A100-80GB none/auto 80 GiB 37088",
      "1× A100-80GB none/fp8 80 GiB 74192",
    ]);
  });

  it("orders by GPU memory, then fewer GPUs, then fewer compromises", () => {
    expect(describeLayouts(fittingLayouts(input({ model: catalogModel("llama-3.1-70b-instruct"), maxModelLen: 131072 }), 8))).toEqual([
      "1× H200 fp8/auto 140 GiB 180688",
      "1× H200 fp8/fp8 140 GiB 361376",
      "2× H100-80GB fp8/auto 159 GiB 222736",
      "2× H100-80GB fp8/fp8 159 GiB 445472",
      "2× A100-80GB fp8/auto 160 GiB 231488",
      "2× A100-80GB fp8/fp8 160 GiB 462992",
      "4× A100-40GB fp8/auto 160 GiB 211584",
      "4× A100-40GB fp8/fp8 160 GiB 423184",
    ]);
  });

  it("sizes an unset maxModelLen as one typical request", () => {
    expect(describeLayouts(fittingLayouts(input({ model: catalogModel("qwen2.5-coder-7b-instruct"), maxModelLen: undefined }), 3))).toEqual(
      ["1× L4 none/auto 22 GiB 66320", "1× A10G none/auto 22 GiB 66144", "1× L4 none/fp8 22 GiB 132640"],
    );
    expect(contexts(fittingLayouts(input({ model: catalogModel("qwen2.5-coder-7b-instruct"), maxModelLen: undefined }), 3))).toEqual([
      4096,
    ]);
    const typical = fittingLayouts(
      input({ model: catalogModel("qwen2.5-coder-7b-instruct"), maxModelLen: undefined, typicalRequestTokens: 2000 }),
      3,
    );
    expect(contexts(typical)).toEqual([2000]);
    // A 500k-token typical request exceeds the model's 32768 positions: the layouts hold 32768.
    const long = input({ model: catalogModel("qwen2.5-coder-7b-instruct"), maxModelLen: undefined, typicalRequestTokens: 500_000 });
    expect(contexts(fittingLayouts(long, 1))).toEqual([32768]);
    expect(contexts(fittingLayouts(input({}), 2))).toEqual([32768]);
  });

  it("keeps the precision already given up, and offers nothing more", () => {
    expect(describeLayouts(fittingLayouts(input({ quantization: "fp8", kvCacheDtype: "fp8" }), 3))).toEqual([
      "1× L40S fp8/fp8 45 GiB 50032",
      "1× RTX6000Ada fp8/fp8 45 GiB 50336",
      "2× RTX4090 fp8/fp8 48 GiB 46624",
    ]);
  });

  it("searches only the GPUs given, up to eight per node, with each layout planning as listed", () => {
    const layouts = fittingLayouts(input({ model: catalogModel("llama-3.1-70b-instruct"), maxModelLen: 131072 }), 5, [catalogGpu("L4")]);
    expect(describeLayouts(layouts)).toEqual(["8× L4 fp8/auto 180 GiB 221760", "8× L4 fp8/fp8 180 GiB 443536"]);
    expect(LAYOUT_MAX_GPUS_PER_NODE).toBe(8);
    for (const layout of layouts) {
      const result = planModel({
        ...input({ model: catalogModel("llama-3.1-70b-instruct"), maxModelLen: 131072 }),
        gpu: layout.gpu,
        tensorParallel: layout.tensorParallel,
        gpusPerNode: 8,
        gpusAvailable: 8,
        quantization: layout.quantization,
        kvCacheDtype: layout.kvCacheDtype,
      });
      expect(result.ok && result.plan.kvCacheTokens).toBe(layout.kvCacheTokens);
    }
  });

  it("is empty when nothing holds the model: an AWQ request for a 16-bit checkpoint is refused everywhere", () => {
    expect(fittingLayouts(input({ quantization: "awq" }))).toEqual([]);
    expect(fittingLayouts(input({}), 5, [])).toEqual([]);
  });

  it("plans each GPU with the release's own batch defaults, not the input's", () => {
    const [h100] = fittingLayouts(input({ maxModelLen: 16384, maxNumBatchedTokens: 16, maxNumSeqs: 16 }), 1, [catalogGpu("H100-80GB")]);
    const byDefault = planModel({ ...input({ maxModelLen: 16384 }), gpu: catalogGpu("H100-80GB"), gpusPerNode: 8, gpusAvailable: 8 });
    expect(byDefault.ok && byDefault.plan.maxNumBatchedTokens).toBe(8192);
    expect(h100.kvCacheTokens).toBe(byDefault.ok ? byDefault.plan.kvCacheTokens : -1);
  });
});
