/** Shared set-up for the client's integration tests against the vLLM-shaped fixture. */
import { BackendClient, type BackendConfig } from "../../src/client/backend-client";
import { VllmFixture, type VllmFixtureOptions } from "../../../test/fixtures/vllm/server";
import { openAiScript, type OpenAiScript } from "../../../test/fixtures/vllm/openai-script";

export const MODEL = "qwen2.5-coder-7b";
export const API_KEY = "test-key-123";

export interface Harness {
  fixture: VllmFixture;
  script: OpenAiScript;
  client(overrides?: Partial<BackendConfig>): BackendClient;
}

export async function startHarness(options: VllmFixtureOptions = { apiKey: API_KEY, servedModelNames: [MODEL] }): Promise<Harness> {
  const fixture = await VllmFixture.start(options);
  return {
    fixture,
    script: openAiScript(fixture),
    client: (overrides = {}) => new BackendClient({ baseUrl: `${fixture.url}/v1`, apiKey: options.apiKey, timeoutMs: 2000, ...overrides }),
  };
}

/** Collects a raw stream into one string. */
export async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}

/** Resolves when `check` holds, polling briefly (the server sees a closed socket a moment later). */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
