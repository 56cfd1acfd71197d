/**
 * Doctor's tool-calling check, judged from one non-streamed chat request that offers a tool with
 * `tool_choice: "auto"`. vLLM answers 400 to `auto` unless it runs with --enable-auto-tool-choice
 * and a --tool-call-parser (`"auto" tool choice requires --enable-auto-tool-choice and
 * --tool-call-parser to be set`, vllm/renderers/online_renderer.py in ivanium/vllm @ 455edc022b45,
 * read 2026-11-26), so a 200 shows the parser is on; a returned call shows the parser read the
 * model's format.
 */
import type { CheckResult } from "./doctor-report";

/** The tool offered: answering needs it, so a model that can call tools calls it. */
export const TOOL_CHECK_TOOL = {
  type: "function",
  function: {
    name: "get_time",
    description: "Returns the current time in a time zone.",
    parameters: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
  },
} as const;

export function toolCheckRequest(model: string): Record<string, unknown> {
  return {
    model,
    messages: [{ role: "user", content: "What time is it in UTC? Use the tool." }],
    tools: [TOOL_CHECK_TOOL],
    tool_choice: "auto",
    max_tokens: 64,
    temperature: 0,
  };
}

export function toolCheckVerdict(status: number, body: string): CheckResult {
  if (status !== 200) {
    const detail = body.slice(0, 200).replace(/\s+/g, " ");
    return {
      check: "tools",
      status: "fail",
      summary: `the outputs declare tool calling, but a request with tools answered ${status}: ${detail} (is vLLM started with --enable-auto-tool-choice and --tool-call-parser? redeploy the environment)`,
    };
  }
  let calls: unknown[];
  try {
    const parsed = JSON.parse(body) as { choices?: { message?: { tool_calls?: unknown[] } }[] };
    calls = parsed.choices?.[0]?.message?.tool_calls ?? [];
  } catch {
    return { check: "tools", status: "fail", summary: "a request with tools did not answer JSON" };
  }
  return calls.length > 0
    ? { check: "tools", status: "pass", summary: `tool calling on: the model called ${TOOL_CHECK_TOOL.function.name}` }
    : {
        check: "tools",
        status: "warn",
        summary: "the server accepts tools, but the model answered in text: check that the tool-call parser matches the model's family",
      };
}
