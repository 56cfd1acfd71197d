import { MODEL_IDS, findModel, type ModelSpec } from "./catalog/models";
import type { ModelConfig } from "./schema/model";

/**
 * What the facts form of an inline model does not state, assumed so the plan errs low: an MLP
 * six times the hidden size (the catalog's widest is 5.8×, Qwen2.5-Coder-1.5B) and a vocabulary
 * of 256,000 tokens (larger than any catalog model's). `config:` gives the planner the real figures.
 */
const ASSUMED_MLP_RATIO = 6;
const ASSUMED_VOCAB_SIZE = 256_000;

type InlineFacts = Exclude<ModelConfig["model"], string | { config: string }>;

/**
 * The catalog entry a model field names, or the facts form of an inline model as a ModelSpec.
 * An inline model given by its config.json is resolved by the loader, which reads the file.
 */
export function resolveModelSpec(model: string | InlineFacts): ModelSpec | undefined {
  if (typeof model === "string") return findModel(model);
  return {
    id: model.hfRepo,
    hfRepo: model.hfRepo,
    parameters: model.parametersB * 1e9,
    parametersB: model.parametersB,
    layers: model.layers,
    hiddenSize: model.hiddenSize,
    intermediateSize: ASSUMED_MLP_RATIO * model.hiddenSize,
    attentionHeads: model.attentionHeads,
    kvHeads: model.kvHeads,
    headDim: model.headDim ?? model.hiddenSize / model.attentionHeads,
    vocabSize: ASSUMED_VOCAB_SIZE,
    maxPositions: model.maxPositions,
    tieWordEmbeddings: false,
    gatedMlp: true,
    linearBias: "none",
    defaultDtype: model.defaultDtype,
    fimTemplate: model.fimTemplate,
    // Outside the catalog: shares no tokenizer with a catalog model (a speculative draft must).
    tokenizer: model.hfRepo,
    ...(model.toolCallParser ? { toolCallParser: model.toolCallParser } : {}),
  };
}

export const UNKNOWN_MODEL_FIX =
  `use a catalog id (${MODEL_IDS.join(", ")}) or describe the model inline by its config.json: ` +
  `{ hfRepo, config: path/to/config.json }`;
