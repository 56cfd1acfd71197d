/**
 * The deployment the tests point the extension at: the vLLM fixture, described by a
 * deployment outputs file in the shape `cdktf deploy --outputs-file` writes (docs/outputs.md).
 */
import type { EndpointOutput } from "../../../core/contract/outputs";
import { VllmFixture } from "../../fixtures/vllm/server";
import { openAiScript, shortHash, type OpenAiScript } from "../../fixtures/vllm/openai-script";

export const MODEL = "qwen2.5-coder-7b";
export const ENVIRONMENT = "e2e";

export function outputsFile(baseUrl: string): string {
  return `${JSON.stringify(
    {
      [`aicockpit-${ENVIRONMENT}`]: {
        environment: ENVIRONMENT,
        endpoint_qwen2_5_coder_7b: {
          environment: ENVIRONMENT,
          served_model_name: MODEL,
          base_url: baseUrl,
          role: "both",
          fim_template: "qwen",
          max_model_len: 32768,
          api_key_secret: "aicockpit/aicockpit-api-key",
        } satisfies EndpointOutput,
      },
    },
    null,
    2,
  )}\n`;
}

export interface Deployment {
  fixture: VllmFixture;
  script: OpenAiScript;
  apiKey: string;
  /** Every completion text the fixture served, in order: ghost text must be one of them. */
  served: string[];
  /** How many `/v1/completions` requests reached the fixture so far. */
  completionRequests(): number;
}

/** The fixture with an API key and single-line, prompt-dependent completions. */
export async function startDeployment(options: { ttftMs: number; tokensPerSecond: number }): Promise<Deployment> {
  const apiKey = `e2e-${shortHash(String(Date.now()))}`;
  const fixture = await VllmFixture.start({ apiKey, servedModelNames: [MODEL] });
  const script = openAiScript(fixture);
  script.ttftMs = options.ttftMs;
  script.tokensPerSecond = options.tokensPerSecond;
  const served: string[] = [];
  script.completionText = (prompt) => {
    const text = `sum_${shortHash(prompt)}(a, b);`;
    served.push(text);
    return text;
  };
  return {
    fixture,
    script,
    apiKey,
    served,
    completionRequests: () => fixture.requestsTo("/v1/completions").length,
  };
}
