/** The outputs file `npm run fixture` writes: what a deployment of its models would output. */
import { NO_FIM, type EndpointOutput } from "../../core/contract/outputs";
import { outputsWithBaseUrls } from "../../core/ops/connect-plan";
import { guessFimFamily } from "../../extension/src/core/fim";

export const FIXTURE_ENVIRONMENT = "fixture";

/** The outputs a deployment of these models would write, pointing at the fixture's gateway. */
export function fixtureOutputs(models: readonly string[], baseUrl: string, maxModelLen: number): Record<string, Record<string, unknown>> {
  const endpoints = models.map((model): EndpointOutput => {
    const family = guessFimFamily(model);
    return {
      environment: FIXTURE_ENVIRONMENT,
      served_model_name: model,
      base_url: baseUrl,
      role: family ? "both" : "chat",
      fim_template: family ?? NO_FIM,
      max_model_len: maxModelLen,
      api_key_secret: "fixture/no-secret",
    };
  });
  return outputsWithBaseUrls(FIXTURE_ENVIRONMENT, endpoints, new Map());
}
