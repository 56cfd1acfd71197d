/** The user's first step: "AiCockpit: Load Deployment Outputs", then the API key prompt. */
import { assert } from "../harness/checks";
import type { Workbench } from "../harness/workbench";
import { MODEL, type Deployment } from "./deployment";

export async function loadOutputsThroughCommand(workbench: Workbench, deployment: Deployment): Promise<string> {
  await workbench.runCommand("AiCockpit: Load Deployment Outputs");
  const prompt = workbench.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
  await prompt.waitFor({ state: "visible", timeout: 15_000 });
  await workbench.answerQuickInput(deployment.apiKey);
  await workbench.waitForNotification("loaded 1 model");
  const entry = await workbench.waitForStatusBar("AiCockpit", (e) => e.text.includes(MODEL), 20_000);
  const authorized = deployment.fixture.requestsTo("/v1/models").filter((r) => r.headers.authorization === `Bearer ${deployment.apiKey}`);
  assert(authorized.length > 0, "no /v1/models probe carried the API key");
  return entry.text;
}
