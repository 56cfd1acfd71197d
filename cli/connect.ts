/**
 * `npm run connect -- --env NAME [--outputs FILE] [--write FILE] [--port N] [--kubeconfig PATH]
 *  [--context NAME] [--timeout S]`
 * Opens port-forwards from 127.0.0.1 to each in-cluster (ClusterIP) model of an environment
 * through the Kubernetes API (the environment's kubeconfig and context), writes an outputs file
 * with the local URLs for the extension, doctor and loadtest, and keeps the forwards alive
 * (a new pod is found when the old one goes) until Ctrl-C.
 */
import fs from "node:fs";
import path from "node:path";
import { loadEnvironment } from "../core/load-environment";
import { outputsWithBaseUrls } from "../core/ops/connect-plan";
import type { EndpointOutput } from "../core/contract/outputs";
import type { Endpoint } from "../extension/src/core/outputs";
import { UsageError, numberArg, parseFlags, stringArg } from "./args";
import { needsForward, openForwards } from "./ops/cluster-forwards";
import { CommandError, runCommand } from "./ops/command";
import { endpointsOf, readOutputsFile } from "./ops/outputs-file";

const USAGE = "npm run connect -- --env NAME [--outputs FILE] [--write FILE] [--port N] [--kubeconfig PATH] [--context NAME] [--timeout S]";
const FLAGS = {
  env: { type: "string" },
  outputs: { type: "string" },
  write: { type: "string" },
  port: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  timeout: { type: "string" },
} as const;

/** The contract's output value of a parsed endpoint (the parser's camelCase back to the wire names). */
function asOutput(e: Endpoint): EndpointOutput {
  return {
    environment: e.environment,
    served_model_name: e.servedModelName,
    base_url: e.baseUrl,
    role: e.role,
    fim_template: e.fimTemplate,
    max_model_len: e.maxModelLen,
    api_key_secret: e.apiKeySecret,
    ...(e.toolCalling === undefined ? {} : { tool_calling: e.toolCalling }),
  };
}

async function main(): Promise<number> {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  const env = stringArg(args, "env");
  if (env === undefined) throw new UsageError("--env NAME is required (the environment whose models to reach)");
  const firstPort = numberArg(args, "port", { integer: true }) ?? 0;
  if (firstPort < 0 || firstPort > 65000) throw new UsageError("--port must be between 0 (free ports) and 65000");
  const timeoutS = numberArg(args, "timeout") ?? 10;
  if (!(timeoutS > 0)) throw new UsageError("--timeout must be above 0 seconds");
  const source = stringArg(args, "outputs") ?? "aicockpit-outputs.json";
  const written = path.resolve(stringArg(args, "write") ?? `aicockpit-connect.${env}.json`);
  if (path.resolve(source) === written) throw new UsageError("--write must not overwrite the deployment's own outputs file");

  const environment = loadEnvironment(env);
  const endpoints = endpointsOf(readOutputsFile(source), env);
  if (!endpoints.some(needsForward)) {
    throw new CommandError(
      `every endpoint of ${env} is reachable without a port-forward (${endpoints.map((e) => e.baseUrl).join(", ")}): use ${source} as it is`,
    );
  }
  const forwards = await openForwards(environment, endpoints, {
    firstPort,
    kubeconfig: stringArg(args, "kubeconfig"),
    context: stringArg(args, "context"),
    timeoutMs: timeoutS * 1000,
    log: (line) => console.log(line),
  });
  try {
    fs.writeFileSync(written, `${JSON.stringify(outputsWithBaseUrls(env, endpoints.map(asOutput), forwards.baseUrls), null, 2)}\n`);
  } catch (error) {
    await forwards.close();
    throw new CommandError(`cannot write ${written}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  console.log(`connected ${forwards.baseUrls.size} model${forwards.baseUrls.size === 1 ? "" : "s"} of ${env}:`);
  for (const [model, url] of forwards.baseUrls) console.log(`  ${model}  ${url}  (metrics ${forwards.metricsUrls.get(model)})`);
  console.log(`wrote ${written}: point the extension's aicockpit.outputsFile at it, or run`);
  const metrics = [...forwards.metricsUrls].map(([m, u]) => ` --metrics ${m}=${u}`).join("");
  console.log(`  npm run doctor -- --outputs ${written} --env ${env}${metrics}`);
  console.log("Ctrl-C closes the forwards.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await forwards.close();
  return 0;
}

runCommand("connect", USAGE, main);
