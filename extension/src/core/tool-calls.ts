/**
 * Tool calling in OpenAI form, as vLLM's `/v1/chat/completions` speaks it: tool definitions out,
 * streamed `tool_calls` deltas in (assembled per index), tool results back as `tool` messages.
 * The arguments are whatever text the model wrote: malformed JSON is reported, never thrown.
 */

/** A tool the model may call (VS Code's LanguageModelChatTool, in plain form). */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the input; a tool without one takes an empty object. */
  inputSchema?: object;
}

/** `auto`: the model chooses; `required`: it must call a tool. */
export type ToolMode = "auto" | "required";

/** The `tools` array of an OpenAI chat request. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The `tool_choice` of an OpenAI chat request. */
export type OpenAiToolChoice = "auto" | "required" | { type: "function"; function: { name: string } };

/** Tools and tool choice for the request body. */
export function toOpenAiTools(tools: readonly ToolDefinition[], mode: ToolMode): { tools: OpenAiTool[]; toolChoice: OpenAiToolChoice } {
  const openAiTools = tools.map((t) => ({
    type: "function" as const,
    function: {
      name: t.name,
      description: t.description,
      parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: "object", properties: {} },
    },
  }));
  // One required tool is named outright: vLLM supports a named function for tool_choice.
  const toolChoice: OpenAiToolChoice =
    mode === "required" ? (tools.length === 1 ? { type: "function", function: { name: tools[0].name } } : "required") : "auto";
  return { tools: openAiTools, toolChoice };
}

/** One streamed `tool_calls` delta. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

/** A complete tool call with parsed input. */
export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  /** The arguments as the model wrote them (what goes back to the server in the history). */
  rawArguments: string;
}

/** A tool call whose arguments are not a JSON object. */
export interface MalformedToolCall {
  id: string;
  name: string;
  rawArguments: string;
  problem: string;
}

/** The `tool_calls` deltas of a chat stream chunk (`choices[0].delta.tool_calls`). */
export function toolCallDeltas(value: unknown): ToolCallDelta[] {
  const choices = (value as { choices?: unknown } | null)?.choices;
  const delta = Array.isArray(choices) ? (choices[0] as { delta?: { tool_calls?: unknown } } | undefined)?.delta : undefined;
  const calls = delta?.tool_calls;
  if (!Array.isArray(calls)) return [];
  const out: ToolCallDelta[] = [];
  for (const call of calls) {
    if (typeof call !== "object" || call === null) continue;
    const c = call as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    out.push({
      index: typeof c.index === "number" ? c.index : 0,
      id: typeof c.id === "string" ? c.id : undefined,
      name: typeof c.function?.name === "string" ? c.function.name : undefined,
      arguments: typeof c.function?.arguments === "string" ? c.function.arguments : undefined,
    });
  }
  return out;
}

/** Parses tool arguments: a JSON object, tolerating a code fence around it; empty means `{}`. */
export function parseToolArguments(raw: string): { ok: true; input: Record<string, unknown> } | { ok: false; problem: string } {
  const text = raw
    .trim()
    .replace(/^```(?:json)?\s*\n?/, "")
    .replace(/\n?```$/, "")
    .trim();
  if (text === "") return { ok: true, input: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { ok: false, problem: "the arguments are not a JSON object" };
    return { ok: true, input: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, problem: `the arguments are not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Assembles streamed tool-call deltas, per index, into calls. */
export class ToolCallAccumulator {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();

  push(deltas: readonly ToolCallDelta[]): void {
    for (const d of deltas) {
      const call = this.calls.get(d.index) ?? { id: "", name: "", arguments: "" };
      if (d.id) call.id = d.id;
      // vLLM names the call in its first delta only; a repeated name is not appended.
      if (d.name && !call.name) call.name = d.name;
      if (d.arguments) call.arguments += d.arguments;
      this.calls.set(d.index, call);
    }
  }

  get size(): number {
    return this.calls.size;
  }

  /** The calls in index order: parsed ones, and those whose arguments are not a JSON object. */
  finish(): { calls: ToolCall[]; malformed: MalformedToolCall[] } {
    const calls: ToolCall[] = [];
    const malformed: MalformedToolCall[] = [];
    for (const [index, call] of [...this.calls.entries()].sort((a, b) => a[0] - b[0])) {
      const id = call.id || `call_${index}`;
      if (!call.name) {
        malformed.push({ id, name: "", rawArguments: call.arguments, problem: "the call names no tool" });
        continue;
      }
      const parsed = parseToolArguments(call.arguments);
      if (parsed.ok) calls.push({ id, name: call.name, input: parsed.input, rawArguments: call.arguments });
      else malformed.push({ id, name: call.name, rawArguments: call.arguments, problem: parsed.problem });
    }
    return { calls, malformed };
  }
}

/** What to tell the user (and the log) about a malformed call. */
export function describeMalformedCall(call: MalformedToolCall): string {
  const shown = call.rawArguments.length > 200 ? `${call.rawArguments.slice(0, 200)}…` : call.rawArguments;
  return `The model tried to call ${call.name ? `\`${call.name}\`` : "a tool"}, but ${call.problem}: \`${shown}\`. The call was not made.`;
}
