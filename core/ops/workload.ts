/**
 * What a load test sends: OpenAI-compatible streaming requests built from FIM cases or chat
 * prompts. Every request asks for streamed output with usage, so the client measures time to
 * first token and inter-token latency and reads the server's own token count.
 */
import { CHAT_PROMPTS } from "./chat-prompts";
import type { FimCase } from "./fim-cases";
import type { SeededRandom } from "./random";

export const WORKLOAD_KINDS = ["fim", "chat"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface WorkloadRequest {
  path: "/v1/completions" | "/v1/chat/completions";
  /** The JSON body, serialized once: the generator sends it as is. */
  body: string;
}

/** A FIM case rendered into the model family's prompt (the extension's own templates do that). */
export interface RenderedFim {
  prompt: string;
  stop: string[];
}

export interface WorkloadSettings {
  model: string;
  maxTokens: number;
}

function streamed(fields: Record<string, unknown>, settings: WorkloadSettings): string {
  return JSON.stringify({
    model: settings.model,
    max_tokens: settings.maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
    ...fields,
  });
}

export function fimRequests(cases: readonly FimCase[], render: (c: FimCase) => RenderedFim, settings: WorkloadSettings): WorkloadRequest[] {
  return cases.map((c) => {
    const { prompt, stop } = render(c);
    return { path: "/v1/completions", body: streamed({ prompt, stop }, settings) };
  });
}

export function chatRequests(count: number, random: SeededRandom, settings: WorkloadSettings): WorkloadRequest[] {
  return Array.from({ length: count }, () => ({
    path: "/v1/chat/completions" as const,
    body: streamed({ messages: [{ role: "user", content: CHAT_PROMPTS[random.int(CHAT_PROMPTS.length)] }] }, settings),
  }));
}
