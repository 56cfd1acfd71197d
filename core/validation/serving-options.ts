/**
 * Stage 6 (planning), the serving options: each model's tool calling checked against its role
 * and its family's tool-call parser, and resolved to what the server runs with, so nothing
 * downstream checks again.
 */
import { MODEL_CATALOG, findModel, type ModelSpec } from "../catalog/models";
import { TOOL_CALL_PARSERS, type ToolCallParser } from "../catalog/tool-parsers";
import type { ConfigIssue } from "../errors";
import type { VllmRelease } from "../planning/vllm-versions";
import type { ModelConfig } from "../schema/model";
import { SPECULATIVE_METHOD_SINCE, compareVllmTags } from "../vllm-flag-history";

/** Speculative decoding as the server runs it: n-gram lookup, or a draft model from the catalog. */
export type ResolvedSpeculation =
  | { method: "ngram"; numSpeculativeTokens: number; promptLookupMax?: number; promptLookupMin?: number }
  | { method: "draft"; numSpeculativeTokens: number; draft: ModelSpec; revision?: string };

/** LoRA as the server runs it: the slots it reserves and the adapters it serves by name. */
export interface ResolvedLora {
  maxRank: number;
  /** Slots reserved: the file's maxLoras, else one per adapter. */
  maxLoras: number;
  adapters: readonly { name: string; source: string }[];
}

/** What a model is served with beyond its parallelism and memory settings. */
export interface ServingOptions {
  /** vLLM's `--tool-call-parser` when tool calling is on; absent: off. */
  toolCallParser?: ToolCallParser;
  /** Absent: no speculative decoding. */
  speculative?: ResolvedSpeculation;
  /** Absent: LoRA off. */
  lora?: ResolvedLora;
}

export type ServingOptionsResult = { ok: true; options: ServingOptions } | { ok: false; issues: ConfigIssue[] };

/** Catalog models that have a tool parser, for fixes. */
const TOOL_CALLING_MODELS = MODEL_CATALOG.filter((m) => m.toolCallParser !== undefined).map((m) => m.id);

/** `vllm` is absent when the image pins a release the planner does not know (reported elsewhere). */
export function resolveServingOptions(
  file: string,
  at: string,
  model: ModelConfig,
  spec: ModelSpec,
  vllm: VllmRelease | undefined,
): ServingOptionsResult {
  const issues: ConfigIssue[] = [];
  const toolCallParser = toolCalling(file, at, model, spec, issues);
  const speculative = speculation(file, at, model, spec, vllm, issues);
  if (issues.length > 0) return { ok: false, issues };
  const { lora } = model;
  return {
    ok: true,
    options: {
      ...(toolCallParser ? { toolCallParser } : {}),
      ...(speculative ? { speculative } : {}),
      ...(lora
        ? {
            lora: {
              maxRank: lora.maxRank,
              maxLoras: lora.maxLoras ?? lora.adapters.length,
              adapters: lora.adapters.map(({ name, source }) => ({ name, source })),
            },
          }
        : {}),
    },
  };
}

/**
 * A draft must read and write the target's tokens: vLLM refuses a draft whose vocabulary size
 * differs ("Target and draft model should have the same vocabulary size",
 * `verify_equal_vocab_size_if_draft_model` in vllm/config/speculative.py), and a draft of another
 * tokenizer with the same size would propose wrong tokens, accepted never. It also splits across
 * the target's tensor-parallel GPUs (`draft_tensor_parallel_size` defaults to the target's).
 */
function speculation(
  file: string,
  at: string,
  model: ModelConfig,
  spec: ModelSpec,
  vllm: VllmRelease | undefined,
  issues: ConfigIssue[],
): ResolvedSpeculation | undefined {
  const stated = model.speculative;
  if (!stated) return undefined;
  if (stated.method === "ngram") return stated;
  const field = `${at}.speculative`;
  const draft = findModel(stated.model);
  const sameFamily = MODEL_CATALOG.filter(
    (m) => m.tokenizer === spec.tokenizer && m.vocabSize === spec.vocabSize && m.parameters < spec.parameters,
  );
  const candidates = sameFamily.length > 0 ? `use a smaller model of its family (${sameFamily.map((m) => m.id).join(", ")})` : "";
  const ngramFix = "use method: ngram, which needs no draft";
  const fix = [candidates, ngramFix].filter(Boolean).join(", or ");
  if (!draft) {
    issues.push({ file, field: `${field}.model`, message: `unknown draft model "${stated.model}"`, fix: `name a catalog model: ${fix}` });
    return undefined;
  }
  if (vllm && compareVllmTags(vllm.tag, SPECULATIVE_METHOD_SINCE.draft_model) < 0) {
    issues.push({
      file,
      field: `${field}.method`,
      message: `vLLM ${vllm.tag} has no draft-model speculative decoding in its V1 engine (added in ${SPECULATIVE_METHOD_SINCE.draft_model})`,
      fix: `${ngramFix}, or pin image.tag ${SPECULATIVE_METHOD_SINCE.draft_model}`,
    });
    return undefined;
  }
  if (draft.tokenizer !== spec.tokenizer || draft.vocabSize !== spec.vocabSize) {
    const why =
      draft.tokenizer !== spec.tokenizer
        ? `its tokenizer (${draft.tokenizer}) is not ${spec.id}'s (${spec.tokenizer})`
        : `its vocabulary has ${draft.vocabSize} tokens and ${spec.id}'s ${spec.vocabSize}, which vLLM refuses`;
    issues.push({
      file,
      field: `${field}.model`,
      message: `${draft.id} cannot draft for ${spec.id}: ${why}, so the model could not verify its proposals`,
      fix,
    });
    return undefined;
  }
  if (draft.parameters >= spec.parameters) {
    issues.push({
      file,
      field: `${field}.model`,
      message: `${draft.id} (${draft.parametersB} B) is not smaller than ${spec.id} (${spec.parametersB} B): each proposal would cost as much as the step it saves`,
      fix,
    });
    return undefined;
  }
  if (draft.attentionHeads % model.tensorParallel !== 0) {
    issues.push({
      file,
      field: `${field}.model`,
      message: `${draft.id} has ${draft.attentionHeads} attention heads, which the ${model.tensorParallel} GPUs of tensorParallel cannot split (vLLM splits the draft like the model)`,
      fix,
    });
    return undefined;
  }
  return { method: "draft", numSpeculativeTokens: stated.numSpeculativeTokens, draft, revision: stated.revision };
}

function toolCalling(file: string, at: string, model: ModelConfig, spec: ModelSpec, issues: ConfigIssue[]): ToolCallParser | undefined {
  const stated = typeof model.model === "object" ? model.model.toolCallParser : undefined;
  if (stated !== undefined) {
    // A model outside the catalog whose repo the catalog knows: its family's parser is known.
    const known = findModel(spec.hfRepo);
    if (known && known.toolCallParser !== stated) {
      issues.push({
        file,
        field: `${at}.model.toolCallParser`,
        message: known.toolCallParser
          ? `${spec.hfRepo} writes tool calls in the format of vLLM's ${known.toolCallParser} parser, not ${stated}`
          : `${spec.hfRepo} has no tool-call format vLLM parses (the catalog's ${known.id} records none), so ${stated} would misread its output`,
        fix: known.toolCallParser
          ? `set toolCallParser: ${known.toolCallParser}, or write model: ${known.id}`
          : "remove toolCallParser and toolCalling",
      });
      return undefined;
    }
    if (!model.toolCalling) {
      issues.push({
        file,
        field: `${at}.model.toolCallParser`,
        message: "has no effect: toolCalling is not true, so vLLM is started without a tool parser",
        fix: "set toolCalling: true, or remove toolCallParser",
      });
      return undefined;
    }
  }
  if (!model.toolCalling) return undefined;
  if (model.role === "completion") {
    issues.push({
      file,
      field: `${at}.toolCalling`,
      message: `${model.servedName} serves role "completion" only, and tool calls come through chat (/v1/chat/completions)`,
      fix: "set role: chat or both, or remove toolCalling",
    });
    return undefined;
  }
  if (!spec.toolCallParser) {
    const inCatalog = findModel(spec.id) !== undefined;
    issues.push({
      file,
      field: `${at}.toolCalling`,
      message: inCatalog
        ? `${spec.id} has no tool-call parser in vLLM (a base model, or a format vLLM's tool-calling docs do not list), so vLLM could not return its tool calls`
        : `${spec.hfRepo} is outside the catalog and names no toolCallParser, so the kit cannot tell vLLM how to read its tool calls`,
      fix: inCatalog
        ? `serve a model with a parser (${TOOL_CALLING_MODELS.join(", ")}), or remove toolCalling`
        : `set model.toolCallParser to the parser vLLM's tool-calling docs list for it (one of ${TOOL_CALL_PARSERS.join(", ")}), or remove toolCalling`,
    });
    return undefined;
  }
  return spec.toolCallParser;
}
