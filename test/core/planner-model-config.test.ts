/** A model from its config.json: the fields the planner reads, the parameter count it derives, what it refuses. */
import fs from "node:fs";
import path from "node:path";
import { MODEL_CATALOG, findModel, modelSpec } from "../../core/catalog/models";
import { embeddingParameters, parameterCount, parseModelConfig, type ModelArchitecture } from "../../core/model-config";
import {
  GIB,
  MIB,
  activationBytesPerToken,
  cudaGraphBytes,
  effectiveQuantization,
  samplerBytes,
  weightBytes,
} from "../../core/planning/memory";

const CONFIGS = path.resolve(__dirname, "../fixtures/model-configs");
const readConfig = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(CONFIGS, file), "utf8"));

function architecture(json: unknown): ModelArchitecture {
  const parsed = parseModelConfig(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.architecture;
}

const billions = (arch: ModelArchitecture) => Math.round(parameterCount(arch) / 1e7) / 100;

describe("parameter counts derived from config.json match the published ones", () => {
  it.each([
    ["llama-3.1-8b.json", "Llama-3.1-8B", 8.03],
    ["qwen2.5-7b-instruct.json", "Qwen2.5-7B", 7.62],
    ["mixtral-8x7b.json", "Mixtral-8x7B (all experts)", 46.7],
    ["deepseek-coder-v2-lite-base.json", "DeepSeek-Coder-V2-Lite (MLA, 64 experts)", 15.71],
    ["qwen3-14b.json", "Qwen3-14B", 14.77],
  ])("%s: %s has %s B parameters", (file, _name, published) => {
    expect(billions(architecture(readConfig(file)))).toBe(published);
  });

  it("matches the catalog's published counts too", () => {
    const counts = Object.fromEntries(MODEL_CATALOG.map((m) => [m.id, m.parametersB]));
    expect(counts).toMatchObject({
      "qwen2.5-coder-1.5b-instruct": 1.54,
      "qwen2.5-coder-7b": 7.62,
      "qwen2.5-coder-14b": 14.77,
      "qwen3-coder-30b-a3b-instruct": 30.53,
      "deepseek-coder-v2-lite-base": 15.71,
      "starcoder2-3b": 3.03,
      "starcoder2-7b": 7.17,
      "starcoder2-15b": 15.96,
      "codestral-22b": 22.25,
      "codellama-7b": 6.74,
      "llama-3.1-8b-instruct": 8.03,
      "llama-3.1-70b-instruct": 70.55,
    });
  });

  it("counts the output projection once when it is tied to the embeddings", () => {
    const tied = { ...architecture(readConfig("llama-3.1-8b.json")), tieWordEmbeddings: true };
    expect(parameterCount(architecture(readConfig("llama-3.1-8b.json"))) - parameterCount(tied)).toBe(128256 * 4096);
    expect(embeddingParameters(tied)).toBe(128256 * 4096);
  });
});

describe("parsing config.json", () => {
  it("reads the standard fields, defaulting KV heads to the attention heads and head dim to hidden / heads", () => {
    const config = { ...readConfig("llama-3.1-8b.json") };
    delete config.num_key_value_heads;
    delete config.head_dim;
    expect(architecture(config)).toEqual({
      layers: 32,
      hiddenSize: 4096,
      intermediateSize: 14336,
      attentionHeads: 32,
      kvHeads: 32,
      headDim: 128,
      vocabSize: 128256,
      maxPositions: 131072,
      tieWordEmbeddings: false,
      gatedMlp: true,
      linearBias: "none",
      defaultDtype: "bfloat16",
    });
  });

  it("reads q/k/v biases for qwen2 and attention_bias, every bias for use_bias, and a two-matrix MLP for starcoder2", () => {
    expect(architecture(readConfig("qwen2-7b-instruct.json")).linearBias).toBe("qkv");
    expect(architecture({ ...readConfig("llama-3.1-8b.json"), attention_bias: true }).linearBias).toBe("qkv");
    const starcoder = architecture({ ...readConfig("llama-3.1-8b.json"), model_type: "starcoder2", use_bias: true });
    expect(starcoder).toMatchObject({ linearBias: "all", gatedMlp: false });
  });

  it("reads mixture-of-experts shapes under each family's names", () => {
    expect(architecture(readConfig("mixtral-8x7b.json")).moe).toEqual({
      experts: 8,
      expertsPerToken: 2,
      expertIntermediateSize: 14336,
      sharedIntermediateSize: 0,
      denseLayers: 0,
    });
    expect(architecture(readConfig("deepseek-coder-v2-lite-base.json")).moe).toEqual({
      experts: 64,
      expertsPerToken: 6,
      expertIntermediateSize: 1408,
      sharedIntermediateSize: 2816,
      denseLayers: 1,
    });
    const qwenMoe = architecture({
      ...readConfig("qwen3-14b.json"),
      num_experts: 128,
      num_experts_per_tok: 8,
      moe_intermediate_size: 768,
      shared_expert_intermediate_size: 0,
    });
    expect(qwenMoe.moe).toEqual({
      experts: 128,
      expertsPerToken: 8,
      expertIntermediateSize: 768,
      sharedIntermediateSize: 0,
      denseLayers: 0,
    });
    expect(architecture({ ...readConfig("qwen3-14b.json"), num_experts: null }).moe).toBeUndefined();
  });

  it("reads multi-head latent attention, with or without a query LoRA", () => {
    const lite = architecture(readConfig("deepseek-coder-v2-lite-base.json"));
    expect(lite.mla).toEqual({ kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 });
    const withQLora = architecture({ ...readConfig("deepseek-coder-v2-lite-base.json"), q_lora_rank: 1536 });
    expect(withQLora.mla?.qLoraRank).toBe(1536);
    // q_proj (2048 × 16 × 192) becomes q_a (2048 × 1536) + its norm (1536) + q_b (1536 × 16 × 192).
    expect(parameterCount(withQLora) - parameterCount(lite)).toBe(27 * (2048 * 1536 + 1536 + 1536 * 16 * 192 - 2048 * 16 * 192));
  });

  it("reads a checkpoint's quantization", () => {
    expect(architecture(readConfig("qwen3-14b-awq.json")).checkpointQuantization).toEqual({ method: "awq", bits: 4 });
    const base = readConfig("qwen3-14b.json");
    expect(architecture({ ...base, quantization_config: { quant_method: "gptq", bits: 8 } }).checkpointQuantization).toEqual({
      method: "gptq",
      bits: 8,
    });
    expect(architecture({ ...base, quantization_config: { quant_method: "gptq" } }).checkpointQuantization).toEqual({
      method: "gptq",
      bits: 4,
    });
    expect(
      architecture({ ...base, quantization_config: { quant_method: "fp8", activation_scheme: "dynamic" } }).checkpointQuantization,
    ).toEqual({
      method: "fp8",
      bits: 8,
    });
    expect(architecture({ ...base, quantization_config: null }).checkpointQuantization).toBeUndefined();
  });

  it("reads the weight dtype from torch_dtype or its newer name dtype, bfloat16 when neither is there", () => {
    const base = readConfig("qwen3-14b.json");
    expect(architecture({ ...base, torch_dtype: "float32" }).defaultDtype).toBe("float32");
    const renamed: Record<string, unknown> = { ...base, dtype: "float16" };
    delete renamed.torch_dtype;
    expect(architecture(renamed).defaultDtype).toBe("float16");
    delete renamed.dtype;
    expect(architecture(renamed).defaultDtype).toBe("bfloat16");
  });

  it("counts an absent tie_word_embeddings as untied, the larger count", () => {
    const config = readConfig("qwen3-14b.json");
    delete config.tie_word_embeddings;
    expect(architecture(config).tieWordEmbeddings).toBe(false);
  });
});

describe("a config.json missing what the plan needs is rejected, naming the field", () => {
  it("names a missing field and why the plan needs it", () => {
    expect(parseModelConfig(readConfig("missing-intermediate-size.json"))).toEqual({
      ok: false,
      problems: [
        {
          field: "intermediate_size",
          message: "config.json has no intermediate_size (the MLP width sizes weights and the profiling pass)",
        },
      ],
    });
  });

  it.each([
    ["num_hidden_layers", "the layer count sizes weights and the KV cache"],
    ["hidden_size", "the hidden size sizes weights and activations"],
    ["num_attention_heads", "tensor parallelism must divide the attention heads"],
    ["vocab_size", "the vocabulary sizes the embeddings and the sampler"],
    ["max_position_embeddings", "it bounds maxModelLen"],
  ])("without %s", (field, why) => {
    const config = readConfig("llama-3.1-8b.json");
    delete config[field];
    const parsed = parseModelConfig(config);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContainEqual({ field, message: `config.json has no ${field} (${why})` });
  });

  it("names a field of the wrong kind", () => {
    const parsed = parseModelConfig({ ...readConfig("llama-3.1-8b.json"), num_hidden_layers: "32", head_dim: 0, torch_dtype: "int8" });
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { field: "num_hidden_layers", message: 'num_hidden_layers must be a positive whole number, got "32"' },
        { field: "head_dim", message: "head_dim must be a positive whole number, got 0" },
        { field: "torch_dtype", message: 'torch_dtype must be one of bfloat16, float16, float32, got "int8"' },
      ],
    });
  });

  it("names incomplete mixture-of-experts and MLA fields", () => {
    const moe = parseModelConfig({ ...readConfig("llama-3.1-8b.json"), num_local_experts: 8 });
    expect(moe.ok ? [] : moe.problems).toEqual([
      { field: "num_experts_per_tok", message: "config.json has no num_experts_per_tok (the active experts size the profiling pass)" },
    ]);
    const mla = parseModelConfig({ ...readConfig("llama-3.1-8b.json"), kv_lora_rank: 512 });
    expect(mla.ok ? [] : mla.problems.map((p) => p.field)).toEqual(["qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim"]);
    const shared = parseModelConfig({ ...readConfig("mixtral-8x7b.json"), n_shared_experts: -1 });
    expect(shared.ok ? [] : shared.problems).toEqual([
      { field: "n_shared_experts", message: "n_shared_experts must be a whole number of at least 0, got -1" },
    ]);
  });

  it("refuses a quantization the planner cannot size", () => {
    const base = readConfig("qwen3-14b.json");
    expect(parseModelConfig({ ...base, quantization_config: { quant_method: "bitsandbytes" } })).toEqual({
      ok: false,
      problems: [
        { field: "quantization_config.quant_method", message: 'the planner sizes awq, gptq and fp8 checkpoints, not "bitsandbytes"' },
      ],
    });
    expect(parseModelConfig({ ...base, quantization_config: "awq" })).toEqual({
      ok: false,
      problems: [{ field: "quantization_config.quant_method", message: "the planner sizes awq, gptq and fp8 checkpoints, not null" }],
    });
    expect(parseModelConfig({ ...base, quantization_config: { quant_method: "awq", bits: 3 } })).toEqual({
      ok: false,
      problems: [{ field: "quantization_config.bits", message: "the planner sizes awq checkpoints of 4 or 8 bits, got 3" }],
    });
  });

  it("refuses KV heads that do not divide the attention heads", () => {
    expect(parseModelConfig({ ...readConfig("llama-3.1-8b.json"), num_key_value_heads: 5 })).toEqual({
      ok: false,
      problems: [{ field: "num_key_value_heads", message: "num_key_value_heads 5 must divide num_attention_heads 32" }],
    });
  });

  it.each([[null], [[1, 2]], ["{}"], [42]])("refuses %j, which is not a config object", (json) => {
    expect(parseModelConfig(json)).toEqual({ ok: false, problems: [{ field: "(file)", message: "config.json is not a JSON object" }] });
  });
});

describe("the memory terms of one model", () => {
  const qwen3 = modelSpec("Qwen/Qwen3-14B", "Qwen/Qwen3-14B", "none", architecture(readConfig("qwen3-14b.json")));
  const awq = modelSpec("Qwen/Qwen3-14B-AWQ", "Qwen/Qwen3-14B-AWQ", "none", architecture(readConfig("qwen3-14b-awq.json")));

  it("weighs Qwen3-14B at 27.51 GiB in bf16 and its AWQ checkpoint at 9.44 GiB, as vLLM logged them", () => {
    expect(weightBytes(qwen3, "none") / GIB).toBeCloseTo(27.51, 2);
    expect(weightBytes(awq, "none") / GIB).toBeCloseTo(9.44, 2);
    expect(effectiveQuantization(awq, "none")).toBe("awq");
    expect(effectiveQuantization(qwen3, "none")).toBe("none");
    expect(effectiveQuantization(qwen3, "fp8")).toBe("fp8");
  });

  it("weighs a 4-bit request on a 16-bit checkpoint at 4.25 bits (the planner refuses it, the arithmetic does not)", () => {
    const embeddings = embeddingParameters(qwen3);
    expect(weightBytes(qwen3, "awq")).toBeCloseTo((qwen3.parameters - embeddings) * (4.25 / 8) + embeddings * 2, 0);
  });

  it("weighs 8-bit GPTQ at 8.25 bits per quantized weight", () => {
    const gptq8 = { ...qwen3, checkpointQuantization: { method: "gptq" as const, bits: 8 } };
    const embeddings = embeddingParameters(qwen3);
    expect(weightBytes(gptq8, "none")).toBeCloseTo((qwen3.parameters - embeddings) * (8.25 / 8) + embeddings * 2, 0);
  });

  it("sizes activations per token from the MLP a token passes through, split by TP", () => {
    expect(activationBytesPerToken(qwen3, 1)).toBe(2 * (3 * 17408 + 4 * 5120));
    expect(activationBytesPerToken(qwen3, 2)).toBe(2 * ((3 * 17408) / 2 + 4 * 5120));
    const mixtral = architecture(readConfig("mixtral-8x7b.json"));
    expect(activationBytesPerToken(mixtral, 1)).toBe(2 * (3 * 2 * 14336 + 4 * 4096));
    // DeepSeek-V2-Lite: 6 experts of 1408 plus 2 shared (11264) outrun its dense first layer (10944) …
    const lite = architecture(readConfig("deepseek-coder-v2-lite-base.json"));
    expect(activationBytesPerToken(lite, 1)).toBe(2 * (3 * 11264 + 4 * 2048));
    // … unless the dense layer is the wider one.
    expect(activationBytesPerToken({ ...lite, intermediateSize: 20000 }, 1)).toBe(2 * (3 * 20000 + 4 * 2048));
    expect(activationBytesPerToken({ ...lite, intermediateSize: 20000, moe: { ...lite.moe!, denseLayers: 0 } }, 1)).toBe(
      2 * (3 * 11264 + 4 * 2048),
    );
    expect(activationBytesPerToken(findModel("qwen3-coder-30b-a3b-instruct")!, 1)).toBe(2 * (3 * 8 * 768 + 4 * 2048));
  });

  it("sizes the sampler's float32 logits and the CUDA graphs", () => {
    expect(samplerBytes(qwen3, 256)).toBe(256 * 151936 * 4);
    expect(cudaGraphBytes(qwen3, 1)).toBe(256 * MIB + 41 * 9 * MIB);
    expect(cudaGraphBytes(qwen3, 2)).toBe(256 * MIB + 41 * 9 * MIB + 160 * MIB);
  });
});
