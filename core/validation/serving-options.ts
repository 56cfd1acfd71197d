/**
 * Stage 6 (planning), the serving options: each model's tool calling checked against its role
 * and its family's tool-call parser, and resolved to what the server runs with, so nothing
 * downstream checks again.
 */
import { MODEL_CATALOG, findModel, type ModelSpec } from "../catalog/models";
import { TOOL_CALL_PARSERS, type ToolCallParser } from "../catalog/tool-parsers";
import type { ConfigIssue } from "../errors";
import type { ModelConfig } from "../schema/model";

/** What a model is served with beyond its parallelism and memory settings. */
export interface ServingOptions {
  /** vLLM's `--tool-call-parser` when tool calling is on; absent: off. */
  toolCallParser?: ToolCallParser;
}

export type ServingOptionsResult = { ok: true; options: ServingOptions } | { ok: false; issues: ConfigIssue[] };

/** Catalog models that have a tool parser, for fixes. */
const TOOL_CALLING_MODELS = MODEL_CATALOG.filter((m) => m.toolCallParser !== undefined).map((m) => m.id);

export function resolveServingOptions(file: string, at: string, model: ModelConfig, spec: ModelSpec): ServingOptionsResult {
  const issues: ConfigIssue[] = [];
  const toolCallParser = toolCalling(file, at, model, spec, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, options: toolCallParser ? { toolCallParser } : {} };
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
