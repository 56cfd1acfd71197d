import { MODEL_IDS, findModel, type ModelSpec } from "./catalog/models";
import type { ModelConfig } from "./schema/model";

/** The catalog entry a model field names, or the inline description as a ModelSpec. */
export function resolveModelSpec(model: ModelConfig["model"]): ModelSpec | undefined {
  if (typeof model === "string") return findModel(model);
  return {
    id: model.hfRepo,
    hfRepo: model.hfRepo,
    parametersB: model.parametersB,
    layers: model.layers,
    hiddenSize: model.hiddenSize,
    attentionHeads: model.attentionHeads,
    kvHeads: model.kvHeads,
    headDim: model.headDim ?? model.hiddenSize / model.attentionHeads,
    maxPositions: model.maxPositions,
    defaultDtype: model.defaultDtype,
    fimTemplate: model.fimTemplate,
  };
}

export const UNKNOWN_MODEL_FIX =
  `use a catalog id (${MODEL_IDS.join(", ")}) or describe the model inline: ` +
  `{ hfRepo, parametersB, layers, hiddenSize, attentionHeads, kvHeads, maxPositions } from its config.json`;
