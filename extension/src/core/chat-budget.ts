/**
 * How a chat or edit request fits the model's context (`maxModelLen` from the deployment
 * outputs, or `aicockpit.manual.maxModelLen`): room kept for the answer, the rest for the prompt,
 * counted with the token estimate of tokens.ts (3 characters a token, on the safe side).
 */
import { estimateTokens } from "./tokens";

/** Tokens a chat template adds around each message (role markers, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 8;
/** Most tokens a chat answer may take; the model's context may allow less. */
export const MAX_CHAT_OUTPUT_TOKENS = 4_096;

/** Token budget of one request. */
export interface ChatBudget {
  /** Prompt tokens: every message, with its overhead. */
  maxInputTokens: number;
  /** `max_tokens` sent with the request. */
  maxOutputTokens: number;
}

/** A chat answer gets a quarter of the context, at most {@link MAX_CHAT_OUTPUT_TOKENS}; the prompt the rest. */
export function chatBudget(maxModelLen: number): ChatBudget {
  const maxOutputTokens = Math.max(1, Math.min(MAX_CHAT_OUTPUT_TOKENS, Math.floor(maxModelLen / 4)));
  return { maxOutputTokens, maxInputTokens: Math.max(0, maxModelLen - maxOutputTokens) };
}

/**
 * An edit's answer repeats the rewritten selection: it gets room for the selection twice over
 * plus 256 tokens, within half the context; the prompt the rest.
 */
export function editBudget(maxModelLen: number, selection: string): ChatBudget {
  const wanted = estimateTokens(selection) * 2 + 256;
  const maxOutputTokens = Math.max(1, Math.min(wanted, MAX_CHAT_OUTPUT_TOKENS * 2, Math.floor(maxModelLen / 2)));
  return { maxOutputTokens, maxInputTokens: Math.max(0, maxModelLen - maxOutputTokens) };
}

/** Estimated prompt tokens of messages, template overhead included. */
export function messagesTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
}
