/** The outputs file `npm run fixture` writes: what a deployment of its models would output. */
import { endpointOutputId, NO_FIM, type EndpointOutput } from "../../core/contract/outputs";
import { guessFimFamily } from "../../extension/src/core/fim";

export const FIXTURE_ENVIRONMENT = "fixture";

/** The outputs a deployment of these models would write, pointing at the fixture's gateway. */
export function fixtureOutputs(models: readonly string[], baseUrl: string, maxModelLen: number): Record<string, Record<string, unknown>> {
  const outputs: Record<string, unknown> = { environment: FIXTURE_ENVIRONMENT };
  for (const model of models) {
    const family = guessFimFamily(model);
    const endpoint: EndpointOutput = {
      environment: FIXTURE_ENVIRONMENT,
      served_model_name: model,
      base_url: baseUrl,
      role: family ? "both" : "chat",
      fim_template: family ?? NO_FIM,
      max_model_len: maxModelLen,
      api_key_secret: "fixture/no-secret",
    };
    outputs[endpointOutputId(model)] = endpoint;
  }
  return { [`aicockpit-${FIXTURE_ENVIRONMENT}`]: outputs };
}

