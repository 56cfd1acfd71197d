/**
 * `npm run doctor -- --outputs FILE [--env NAME] [--json] [--metrics MODEL=URL …] [--timeout S]
 *  [--api-key-file PATH] [--kubeconfig PATH] [--context NAME]`
 * Checks every model endpoint of a deployment from where the operator sits (through port-forwards
 * for the ClusterIP endpoints of `--env NAME`): DNS, TLS, health,
 * the API key and the served model, a small completion and chat with their time to first token,
 * that vLLM's own routes are not public, and the live KV cache against the planner. A table (or
 * JSON) with a verdict per check; exit 1 when any check fails.
 */
import { loadEnvironment } from "../core/load-environment";
import { doctorReport, formatDoctorReport, type EndpointReport } from "../core/ops/doctor-report";
import { sloLine } from "../core/ops/load-summary";
import { UsageError, numberArg, parseFlags, stringArg } from "./args";
import { readApiKey } from "./ops/api-key";
import { needsForward, openForwards } from "./ops/cluster-forwards";
import { runCommand } from "./ops/command";
import { checkEndpoint } from "./ops/doctor-checks";
import { endpointsOf, readOutputsFile } from "./ops/outputs-file";
import { sloTargets } from "./ops/slo-targets";

const USAGE =
  "npm run doctor -- --outputs FILE [--env NAME] [--json] [--metrics MODEL=URL …] [--timeout S] [--api-key-file PATH] [--kubeconfig PATH] [--context NAME]";
const FLAGS = {
  outputs: { type: "string" },
  env: { type: "string" },
  json: { type: "boolean" },
  metrics: { type: "string", multiple: true },
  timeout: { type: "string" },
  "api-key-file": { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
} as const;

/** `--metrics MODEL=URL`, repeatable: where vLLM's /metrics of a model is reachable. */
function metricsUrls(values: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of (values as string[] | undefined) ?? []) {
    const at = value.indexOf("=");
    const model = value.slice(0, at);
    const url = value.slice(at + 1);
    if (at <= 0 || !/^https?:\/\//.test(url))
      throw new UsageError(`--metrics takes MODEL=URL, e.g. qwen2.5-coder-7b=http://127.0.0.1:8000/metrics; got "${value}"`);
    map.set(model, url);
  }
  return map;
}

async function main(): Promise<number> {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  const file = stringArg(args, "outputs");
  if (file === undefined) throw new UsageError("--outputs FILE is required (the deployment outputs, or the file `npm run connect` writes)");
  const timeoutS = numberArg(args, "timeout") ?? 10;
  if (!(timeoutS > 0)) throw new UsageError("--timeout must be above 0 seconds");
  const metrics = metricsUrls((args as Record<string, unknown>).metrics);
  const env = stringArg(args, "env");
  const outputs = readOutputsFile(file);
  const endpoints = endpointsOf(outputs, env);
  const unknown = [...metrics.keys()].filter((m) => !endpoints.some((e) => e.servedModelName === m));
  if (unknown.length > 0) throw new UsageError(`--metrics names models the outputs do not list: ${unknown.join(", ")}`);
  const slo = sloTargets(env);
  const environment = env === undefined ? undefined : loadEnvironment(env);
  const planned = new Map((environment?.models ?? []).map((m) => [m.config.servedName, m.plan.kvCacheTokens]));
  const apiKey = readApiKey(stringArg(args, "api-key-file"));
  // ClusterIP endpoints of a known environment: through port-forwards, as `npm run connect` opens them.
  const forwards =
    environment && endpoints.some(needsForward)
      ? await openForwards(environment, endpoints, {
          firstPort: 0,
          kubeconfig: stringArg(args, "kubeconfig"),
          context: stringArg(args, "context"),
          timeoutMs: timeoutS * 1000,
          log: (line) => !args.json && console.log(line),
        })
      : undefined;

  if (!args.json) {
    console.log(`doctor: ${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"} from ${file}`);
    console.log(sloLine(slo));
    if (!apiKey) console.log("no API key (AICOCKPIT_API_KEY unset): the /v1 checks expect 401 from a deployment");
  }
  const reports: EndpointReport[] = [];
  try {
    for (const endpoint of endpoints) {
      const name = endpoint.servedModelName;
      reports.push(
        await checkEndpoint({
          endpoint: { ...endpoint, baseUrl: forwards?.baseUrls.get(name) ?? endpoint.baseUrl },
          apiKey,
          timeoutMs: timeoutS * 1000,
          slo,
          metricsUrl: metrics.get(name) ?? forwards?.metricsUrls.get(name),
          plannedKvTokens: planned.get(name),
          now: new Date(),
        }),
      );
    }
  } finally {
    await forwards?.close();
  }
  const report = doctorReport(file, slo, reports);
  console.log(args.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report).join("\n"));
  return report.ok ? 0 : 1;
}

runCommand("doctor", USAGE, main);
