/**
 * The serving options of a model (issue 13 item 5) as the environment file states them: tool
 * calling, speculative decoding and LoRA adapters. Each is checked against the model and the
 * planner's memory math in core/validation/serving-options.ts, then passed as vLLM flags
 * (core/vllm-server-spec.ts).
 */
import { z } from "zod";
import { TOOL_CALL_PARSERS } from "../catalog/tool-parsers";

export const toolCallingField = z.boolean().default(false).meta({
  description:
    "`true` starts vLLM with `--enable-auto-tool-choice` and the model's `--tool-call-parser` (from the catalog, or `toolCallParser` of a model outside it), so OpenAI-style `tools` work (agent mode); the outputs list the capability for the extension. Refused on a `role: completion` model and on a model with no known parser.",
});

export const toolCallParserField = z
  .enum(TOOL_CALL_PARSERS)
  .optional()
  .meta({
    description:
      "vLLM's `--tool-call-parser` for this model's tool-call format (vLLM's tool-calling docs list which model uses which); needed for `toolCalling: true`.",
    examples: ["hermes"],
  });
