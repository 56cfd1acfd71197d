/**
 * VS Code's language-model messages (text, tool-call and tool-result parts) as OpenAI chat
 * messages, in plain form so the core can test it: the glue maps `vscode.LanguageModel*Part`
 * objects to {@link LmPart}s and back.
 */
import type { ChatMessage } from "./chat-prompts";

/** One part of a language-model message. */
export type LmPart =
  | { kind: "text"; value: string }
  | { kind: "toolCall"; callId: string; name: string; input: object }
  | { kind: "toolResult"; callId: string; text: string };

/** A language-model message: VS Code's roles are user and assistant (system where supported). */
export interface LmMessage {
  role: "user" | "assistant" | "system";
  parts: readonly LmPart[];
}

/**
 * OpenAI messages: an assistant message carries its tool calls; the results VS Code sends back
 * in the next user message become `tool` messages (right after the calls, as the API requires),
 * followed by that message's own text, if any.
 */
export function toChatMessages(messages: readonly LmMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    const text = message.parts.map((p) => (p.kind === "text" ? p.value : "")).join("");
    if (message.role === "assistant") {
      const toolCalls = message.parts.flatMap((p) =>
        p.kind === "toolCall" ? [{ id: p.callId, name: p.name, arguments: JSON.stringify(p.input) }] : [],
      );
      out.push(toolCalls.length > 0 ? { role: "assistant", content: text, toolCalls } : { role: "assistant", content: text });
      continue;
    }
    for (const part of message.parts)
      if (part.kind === "toolResult") out.push({ role: "tool", toolCallId: part.callId, content: part.text });
    if (text !== "" || !message.parts.some((p) => p.kind === "toolResult")) out.push({ role: message.role, content: text });
  }
  return out;
}
