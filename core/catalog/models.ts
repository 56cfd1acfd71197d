/**
 * Model catalog: each model's architecture as its config.json on the Hugging Face Hub states
 * it, which is all the planner needs to size weights, activations and the KV cache. The
 * parameter count is derived from the architecture (core/model-config.ts), not typed again.
 *
 * config.json facts were read 2026-11-26 in the copies the search tool holds (the Hub page of
 * the repo itself where stored, else a derivative whose `_name_or_path` names the repo); each
 * entry names its copy.
 */
import type { FimTemplate } from "../contract/outputs";
import { parameterCount, type ModelArchitecture } from "../model-config";
import type { ToolCallParser } from "./tool-parsers";

export interface ModelSpec extends ModelArchitecture {
  /** Catalog id used in environment files (`model: qwen2.5-coder-7b-instruct`). */
  id: string;
  /** Hugging Face repo passed to vLLM's --model. */
  hfRepo: string;
  /** Total parameters (all experts for MoE models: all are resident), derived from the architecture. */
  parameters: number;
  /** `parameters` in billions, rounded to hundredths: for display. */
  parametersB: number;
  /** Fill-in-the-middle prompt family; "none" for chat-only models. */
  fimTemplate: FimTemplate;
  /**
   * The tokenizer the model shares with others (`qwen2.5`, `llama3`): a speculative-decoding draft
   * must share it with its target. A model outside the catalog has its repo id here (shares none).
   */
  tokenizer: string;
  /** vLLM's `--tool-call-parser` for the model's tool-call format; absent: none known (or a base model). */
  toolCallParser?: ToolCallParser;
}

/** What a model's serving options depend on besides its architecture. */
export interface ModelServingFacts {
  tokenizer: string;
  toolCallParser?: ToolCallParser;
}

/** A catalog or config.json model: its architecture, repo and FIM family, with the derived parameter count. */
export function modelSpec(
  id: string,
  hfRepo: string,
  fimTemplate: FimTemplate,
  architecture: ModelArchitecture,
  // A model outside the catalog shares no tokenizer and has no known tool parser.
  serving: ModelServingFacts = { tokenizer: hfRepo },
): ModelSpec {
  const parameters = parameterCount(architecture);
  return { ...architecture, id, hfRepo, fimTemplate, ...serving, parameters, parametersB: Math.round(parameters / 1e7) / 100 };
}

type Shape = Pick<
  ModelArchitecture,
  "layers" | "hiddenSize" | "intermediateSize" | "attentionHeads" | "kvHeads" | "vocabSize" | "tieWordEmbeddings"
>;

/** Dense decoder defaults: SwiGLU MLP, no biases, bf16, head dim = hidden / heads. */
function dense(shape: Shape, rest: Partial<ModelArchitecture> & Pick<ModelArchitecture, "maxPositions">): ModelArchitecture {
  return {
    ...shape,
    headDim: shape.hiddenSize / shape.attentionHeads,
    gatedMlp: true,
    linearBias: "none",
    defaultDtype: "bfloat16",
    ...rest,
  };
}

/**
 * Qwen2.5-Coder (model_type qwen2: q/k/v biases). Each size is published as a base model and an
 * -Instruct one with the same config. The Qwen2.5-Coder README (QwenLM/Qwen2.5-Coder @ d5ead97,
 * 2025-06-20) calls the base models the ones "typically used for completion" and shows
 * fill-in-the-middle with the base Qwen2.5-Coder-32B.
 */
function qwen25Coder(size: string, shape: Shape): ModelSpec[] {
  const architecture = dense(shape, { maxPositions: 32768, linearBias: "qkv" });
  const repo = `Qwen/Qwen2.5-Coder-${size.toUpperCase()}`;
  // vLLM's tool-calling docs: Qwen2.5 models use the Hermes-style format (`hermes`); the base
  // models are not trained to follow a chat template, so none is recorded for them.
  return [
    modelSpec(`qwen2.5-coder-${size}-instruct`, `${repo}-Instruct`, "qwen", architecture, {
      tokenizer: "qwen2.5",
      toolCallParser: "hermes",
    }),
    modelSpec(`qwen2.5-coder-${size}`, repo, "qwen", architecture, { tokenizer: "qwen2.5" }),
  ];
}

/**
 * StarCoder2 (base models only): two-matrix GELU MLP with biases everywhere (`use_bias: true`,
 * `mlp_type: default`). The 3B and 7B configs have no tie_word_embeddings, so transformers'
 * default (tied) applies: their published 3.03 B and 7.17 B are the tied counts.
 */
function starcoder2(size: string, shape: Shape): ModelSpec {
  return modelSpec(
    `starcoder2-${size}`,
    `bigcode/starcoder2-${size}`,
    "starcoder",
    dense(shape, { maxPositions: 16384, gatedMlp: false, linearBias: "all" }),
    { tokenizer: "starcoder2" },
  );
}

function llama31(size: string, shape: Shape): ModelSpec {
  return modelSpec(
    `llama-3.1-${size}-instruct`,
    `meta-llama/Llama-3.1-${size.toUpperCase()}-Instruct`,
    "none",
    dense(shape, { maxPositions: 131072 }),
    // vLLM's tool-calling docs: "All Llama 3.1, 3.2 and 4 models should be supported" by `llama3_json`.
    { tokenizer: "llama3", toolCallParser: "llama3_json" },
  );
}

/**
 * DeepSeek-Coder-V2-Lite (MLA + MoE), base and instruct share the config (onekq-ai/
 * DeepSeek-Coder-V2-Lite-Base-bnb-4bit and nm-testing/DeepSeek-Coder-V2-Lite-Instruct-W8A8 copies).
 * DeepSeek's README (deepseek-ai/DeepSeek-Coder-V2 @ c59bc46, 2024-09-24) shows code completion and
 * code insertion (FIM) with the Lite-Base model, which scores 86.4 on HumanEval FIM.
 */
const DEEPSEEK_CODER_V2_LITE: ModelArchitecture = {
  layers: 27,
  hiddenSize: 2048,
  intermediateSize: 10944,
  attentionHeads: 16,
  kvHeads: 16,
  headDim: 192,
  vocabSize: 102400,
  maxPositions: 163840,
  tieWordEmbeddings: false,
  gatedMlp: true,
  linearBias: "none",
  defaultDtype: "bfloat16",
  moe: { experts: 64, expertsPerToken: 6, expertIntermediateSize: 1408, sharedIntermediateSize: 2 * 1408, denseLayers: 1 },
  mla: { kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
};

export const MODEL_CATALOG: readonly ModelSpec[] = [
  // Copies: TechxGenus/CursorCore-QW2.5-1.5B and Xenova's onnx-community/Qwen2.5-1.5B-Instruct (1.5B);
  // ashikshaffi08/fim-coder-v2 and VERSIL91 (7B); unsloth/Qwen2.5-Coder-14B; ai-team-20 "Add config.json
  // from Qwen/Qwen2.5-Coder-32B-Instruct" (32B). vocab 151936 and tied embeddings at 1.5B, 152064 untied above.
  ...qwen25Coder("1.5b", {
    layers: 28,
    hiddenSize: 1536,
    intermediateSize: 8960,
    attentionHeads: 12,
    kvHeads: 2,
    vocabSize: 151936,
    tieWordEmbeddings: true,
  }),
  ...qwen25Coder("7b", {
    layers: 28,
    hiddenSize: 3584,
    intermediateSize: 18944,
    attentionHeads: 28,
    kvHeads: 4,
    vocabSize: 152064,
    tieWordEmbeddings: false,
  }),
  ...qwen25Coder("14b", {
    layers: 48,
    hiddenSize: 5120,
    intermediateSize: 13824,
    attentionHeads: 40,
    kvHeads: 8,
    vocabSize: 152064,
    tieWordEmbeddings: false,
  }),
  ...qwen25Coder("32b", {
    layers: 64,
    hiddenSize: 5120,
    intermediateSize: 27648,
    attentionHeads: 40,
    kvHeads: 8,
    vocabSize: 152064,
    tieWordEmbeddings: false,
  }),
  // Qwen3-Coder-30B-A3B-Instruct: a mixture of experts, 128 experts of 768, 8 per token
  // (RTP-LLM/Qwen3-Coder-30B-A3B-Instruct-RTPurbo and shailesh83/Qwen3-Coder-int8 copies). The
  // Qwen3-Coder README (QwenLM/Qwen3-Coder @ 0ae30f5, 2025-07-31): "FIM is supported in every version
  // of Qwen3-Coder", with the <|fim_prefix|> tokens of Qwen2.5-Coder. No base model is published.
  modelSpec(
    "qwen3-coder-30b-a3b-instruct",
    "Qwen/Qwen3-Coder-30B-A3B-Instruct",
    "qwen",
    {
      ...dense(
        {
          layers: 48,
          hiddenSize: 2048,
          intermediateSize: 5472,
          attentionHeads: 32,
          kvHeads: 4,
          vocabSize: 151936,
          tieWordEmbeddings: false,
        },
        { maxPositions: 262144 },
      ),
      headDim: 128,
      moe: { experts: 128, expertsPerToken: 8, expertIntermediateSize: 768, sharedIntermediateSize: 0, denseLayers: 0 },
    },
    { tokenizer: "qwen3", toolCallParser: "qwen3_coder" },
  ),
  // No tool parser: vLLM's tool-calling docs list parsers for DeepSeek-V3, R1 and V3.1, none for Coder-V2.
  modelSpec("deepseek-coder-v2-lite-instruct", "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct", "deepseek", DEEPSEEK_CODER_V2_LITE, {
    tokenizer: "deepseek-coder-v2",
  }),
  modelSpec("deepseek-coder-v2-lite-base", "deepseek-ai/DeepSeek-Coder-V2-Lite-Base", "deepseek", DEEPSEEK_CODER_V2_LITE, {
    tokenizer: "deepseek-coder-v2",
  }),
  // bigcode/starcoder2-3b (refs/pr/3) and starcoder2-7b (refs/pr/4) on the Hub; starcoder2-15b (refs/pr/7).
  starcoder2("3b", {
    layers: 30,
    hiddenSize: 3072,
    intermediateSize: 12288,
    attentionHeads: 24,
    kvHeads: 2,
    vocabSize: 49152,
    tieWordEmbeddings: true,
  }),
  starcoder2("7b", {
    layers: 32,
    hiddenSize: 4608,
    intermediateSize: 18432,
    attentionHeads: 36,
    kvHeads: 4,
    vocabSize: 49152,
    tieWordEmbeddings: true,
  }),
  starcoder2("15b", {
    layers: 40,
    hiddenSize: 6144,
    intermediateSize: 24576,
    attentionHeads: 48,
    kvHeads: 4,
    vocabSize: 49152,
    tieWordEmbeddings: false,
  }),
  // MrezaPRZ/codestral_bird_train ("_name_or_path": "mistralai/Codestral-22B-v0.1").
  modelSpec(
    "codestral-22b",
    "mistralai/Codestral-22B-v0.1",
    "codestral",
    dense(
      { layers: 56, hiddenSize: 6144, intermediateSize: 16384, attentionHeads: 48, kvHeads: 8, vocabSize: 32768, tieWordEmbeddings: false },
      { maxPositions: 32768 },
    ),
    // No tool parser: vLLM's tool-calling docs list `mistral` for Mistral's function-calling models
    // (Mistral-7B-Instruct-v0.3 confirmed), not for Codestral-22B-v0.1.
    { tokenizer: "codestral" },
  ),
  // loubnabnl/CodeLlama-7b-hf (an HF staff copy) and MichelNivard/tidycodellama ("_name_or_path": "codellama/CodeLlama-7b-hf").
  modelSpec(
    "codellama-7b",
    "codellama/CodeLlama-7b-hf",
    "codellama",
    dense(
      {
        layers: 32,
        hiddenSize: 4096,
        intermediateSize: 11008,
        attentionHeads: 32,
        kvHeads: 32,
        vocabSize: 32016,
        tieWordEmbeddings: false,
      },
      { maxPositions: 16384 },
    ),
    { tokenizer: "codellama" },
  ),
  // NbAiLab/nb-llama-3.1-8B ("_name_or_path": "meta-llama/Llama-3.1-8B") and
  // mlabonne/Llama-3.1-70B-Instruct-lorablated ("meta-llama/Meta-Llama-3.1-70B-Instruct").
  llama31("8b", {
    layers: 32,
    hiddenSize: 4096,
    intermediateSize: 14336,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 128256,
    tieWordEmbeddings: false,
  }),
  llama31("70b", {
    layers: 80,
    hiddenSize: 8192,
    intermediateSize: 28672,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 128256,
    tieWordEmbeddings: false,
  }),
];

/** Finds a catalog model by id or by Hugging Face repo (case-insensitive). */
export function findModel(idOrRepo: string): ModelSpec | undefined {
  const wanted = idOrRepo.toLowerCase();
  return MODEL_CATALOG.find((m) => m.id === wanted || m.hfRepo.toLowerCase() === wanted);
}

export const MODEL_IDS = MODEL_CATALOG.map((m) => m.id);
