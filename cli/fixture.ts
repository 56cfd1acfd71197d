/**
 * `npm run fixture -- [--port N] [--ttft-ms N] [--tokens-per-s N] [--fail-rate F] [--models a,b]
 *  [--outputs FILE] [--json]`
 * Starts the vLLM-shaped test fixture (the one the tests use) behind the kit's gateway routes, and
 * writes an outputs file for it, so doctor, loadtest and the extension can be tried without a GPU.
 * The API key, when AICOCKPIT_API_KEY is set, is required as a deployment's would be.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FixtureFront } from "../test/fixtures/vllm/front";
import { openAiScript } from "../test/fixtures/vllm/openai-script";
import { VllmFixture } from "../test/fixtures/vllm/server";
import { UsageError, numberArg, parseFlags, stringArg } from "./args";
import { API_KEY_VARIABLE, readApiKey } from "./ops/api-key";
import { CommandError, runCommand } from "./ops/command";
import { fixtureOutputs } from "./ops/fixture-outputs";

const USAGE = "npm run fixture -- [--port N] [--ttft-ms N] [--tokens-per-s N] [--fail-rate F] [--models a,b] [--outputs FILE] [--json]";
const FLAGS = {
  port: { type: "string" },
  "ttft-ms": { type: "string" },
  "tokens-per-s": { type: "string" },
  "fail-rate": { type: "string" },
  models: { type: "string" },
  outputs: { type: "string" },
  json: { type: "boolean" },
} as const;

function nonNegative(value: number | undefined, flag: string, max = Infinity): number | undefined {
  if (value !== undefined && !(value >= 0 && value <= max)) throw new UsageError(`--${flag} must be between 0 and ${max}`);
  return value;
}

async function main(): Promise<number> {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  const port = nonNegative(numberArg(args, "port", { integer: true }), "port", 65535) ?? 0;
  const ttftMs = nonNegative(numberArg(args, "ttft-ms"), "ttft-ms");
  const tokensPerS = nonNegative(numberArg(args, "tokens-per-s"), "tokens-per-s");
  const failRate = nonNegative(numberArg(args, "fail-rate"), "fail-rate", 1);
  const models = (stringArg(args, "models") ?? "qwen2.5-coder-7b")
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length === 0) throw new UsageError("--models must name at least one served model");
  const outputsFile = path.resolve(stringArg(args, "outputs") ?? path.join(os.tmpdir(), "aicockpit-fixture-outputs.json"));
  const apiKey = readApiKey(undefined);

  const fixture = await VllmFixture.start({ servedModelNames: models, apiKey });
  const script = openAiScript(fixture);
  if (ttftMs !== undefined) script.ttftMs = ttftMs;
  if (tokensPerS !== undefined) script.tokensPerSecond = tokensPerS;
  if (failRate !== undefined) script.failRate = failRate;
  let front: FixtureFront;
  try {
    front = await FixtureFront.start({ upstreamPort: fixture.port, port });
  } catch (error) {
    await fixture.stop();
    throw new CommandError(`cannot listen on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const baseUrl = `${front.url}/v1`;
  const metricsUrl = `${fixture.url}/metrics`;
  try {
    fs.writeFileSync(outputsFile, `${JSON.stringify(fixtureOutputs(models, baseUrl, script.maxModelLen), null, 2)}\n`);
  } catch (error) {
    await Promise.all([front.stop(), fixture.stop()]);
    throw new CommandError(`cannot write ${outputsFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // A long-running fixture must not keep every request it ever served.
  const trim = setInterval(() => {
    fixture.requests.length = 0;
    script.generations.length = 0;
  }, 5000);

  if (args.json) {
    console.log(JSON.stringify({ baseUrl, metricsUrl, outputs: outputsFile, models }));
  } else {
    const key = apiKey ? `required (the value of ${API_KEY_VARIABLE})` : `none (set ${API_KEY_VARIABLE} to require one)`;
    console.log(
      [
        `vLLM-shaped fixture serving ${models.join(", ")}`,
        `  base URL  ${baseUrl}   (gateway routes only: /v1/* and /health)`,
        `  metrics   ${metricsUrl}   (vLLM's own port, as a port-forward to the pod reaches it)`,
        `  API key   ${key}`,
        `  latency   ${script.ttftMs} ms to first token, ${script.tokensPerSecond || "unpaced"} tokens/s, ${(script.failRate * 100).toFixed(1)} % failures`,
        `  outputs   ${outputsFile}`,
        "try:",
        `  npm run doctor -- --outputs ${outputsFile} --metrics ${models[0]}=${metricsUrl}`,
        `  npm run loadtest -- --outputs ${outputsFile} --model ${models[0]} --concurrency 1,4,16 --out loadtest-results`,
        "Ctrl-C stops it.",
      ].join("\n"),
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  clearInterval(trim);
  await Promise.all([front.stop(), fixture.stop()]);
  return 0;
}

runCommand("fixture", USAGE, main);
