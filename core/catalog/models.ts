/**
 * Model catalog: architecture facts from each model's config.json on the Hugging Face Hub,
 * which is all the planner needs to size weights and the KV cache.
 */
import type { FimTemplate } from "../contract/outputs";
import type { WeightDtype } from "../enums";

export interface ModelSpec {
  /** Catalog id used in environment files (`model: qwen2.5-coder-7b-instruct`). */
  id: string;
  /** Hugging Face repo passed to vLLM's --model. */
  hfRepo: string;
  /** Total parameters, in billions (all experts for MoE models: all are resident). */
  parametersB: number;
  layers: number;
  hiddenSize: number;
  attentionHeads: number;
  /** Key/value heads (GQA); equal to attentionHeads for plain multi-head attention. */
  kvHeads: number;
  headDim: number;
  /** config.json max_position_embeddings: the longest context the model supports. */
  maxPositions: number;
  defaultDtype: WeightDtype;
  /** Fill-in-the-middle prompt family; "none" for chat-only models. */
  fimTemplate: FimTemplate;
  /**
   * Multi-head latent attention (DeepSeek-V2): the KV cache holds one compressed latent of
   * kvLoraRank + qkRopeHeadDim values per layer per token, the same on every TP rank.
   */
  mla?: { kvLoraRank: number; qkRopeHeadDim: number };
}

type Shape = Pick<ModelSpec, "layers" | "hiddenSize" | "attentionHeads" | "kvHeads">;

/** A model family's shared facts; each size adds its parameter count and shape. */
function family(
  id: (size: string) => string,
  hfRepo: (size: string) => string,
  shared: Pick<ModelSpec, "maxPositions" | "fimTemplate">,
): (size: string, parametersB: number, shape: Shape) => ModelSpec {
  return (size, parametersB, shape) => ({
    id: id(size),
    hfRepo: hfRepo(size),
    parametersB,
    ...shape,
    headDim: shape.hiddenSize / shape.attentionHeads,
    defaultDtype: "bfloat16",
    ...shared,
  });
}

const qwenCoder = family(
  (size) => `qwen2.5-coder-${size}-instruct`,
  (size) => `Qwen/Qwen2.5-Coder-${size.toUpperCase()}-Instruct`,
  { maxPositions: 32768, fimTemplate: "qwen" },
);
const starcoder2 = family(
  (size) => `starcoder2-${size}`,
  (size) => `bigcode/starcoder2-${size}`,
  { maxPositions: 16384, fimTemplate: "starcoder" },
);
const llama31 = family(
  (size) => `llama-3.1-${size}-instruct`,
  (size) => `meta-llama/Llama-3.1-${size.toUpperCase()}-Instruct`,
  { maxPositions: 131072, fimTemplate: "none" },
);

export const MODEL_CATALOG: readonly ModelSpec[] = [
  qwenCoder("1.5b", 1.54, { layers: 28, hiddenSize: 1536, attentionHeads: 12, kvHeads: 2 }),
  qwenCoder("7b", 7.61, { layers: 28, hiddenSize: 3584, attentionHeads: 28, kvHeads: 4 }),
  qwenCoder("14b", 14.7, { layers: 48, hiddenSize: 5120, attentionHeads: 40, kvHeads: 8 }),
  qwenCoder("32b", 32.5, { layers: 64, hiddenSize: 5120, attentionHeads: 40, kvHeads: 8 }),
  {
    id: "deepseek-coder-v2-lite-instruct",
    hfRepo: "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct",
    parametersB: 15.71,
    layers: 27,
    hiddenSize: 2048,
    attentionHeads: 16,
    kvHeads: 16,
    headDim: 192,
    maxPositions: 163840,
    defaultDtype: "bfloat16",
    fimTemplate: "deepseek",
    mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
  },
  starcoder2("3b", 3.03, { layers: 30, hiddenSize: 3072, attentionHeads: 24, kvHeads: 2 }),
  starcoder2("7b", 7.17, { layers: 32, hiddenSize: 4608, attentionHeads: 36, kvHeads: 4 }),
  starcoder2("15b", 15.96, { layers: 40, hiddenSize: 6144, attentionHeads: 48, kvHeads: 4 }),
  {
    id: "codestral-22b",
    hfRepo: "mistralai/Codestral-22B-v0.1",
    parametersB: 22.25,
    layers: 56,
    hiddenSize: 6144,
    attentionHeads: 48,
    kvHeads: 8,
    headDim: 128,
    maxPositions: 32768,
    defaultDtype: "bfloat16",
    fimTemplate: "codestral",
  },
  {
    id: "codellama-7b",
    hfRepo: "codellama/CodeLlama-7b-hf",
    parametersB: 6.74,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 32,
    headDim: 128,
    maxPositions: 16384,
    defaultDtype: "bfloat16",
    fimTemplate: "codellama",
  },
  llama31("8b", 8.03, { layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8 }),
  llama31("70b", 70.55, { layers: 80, hiddenSize: 8192, attentionHeads: 64, kvHeads: 8 }),
];

/** Finds a catalog model by id or by Hugging Face repo (case-insensitive). */
export function findModel(idOrRepo: string): ModelSpec | undefined {
  const wanted = idOrRepo.toLowerCase();
  return MODEL_CATALOG.find((m) => m.id === wanted || m.hfRepo.toLowerCase() === wanted);
}

export const MODEL_IDS = MODEL_CATALOG.map((m) => m.id);
