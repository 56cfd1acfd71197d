/**
 * `npm run loadtest -- (--outputs FILE --model NAME | --endpoint URL --model NAME) [--workload fim|chat]
 *  [--concurrency 1,4,16,64 | --rate R[,R…]] [--requests N | --duration S] [--out DIR] …`
 * Streams requests at each level and reports time to first token, inter-token and end-to-end
 * latency percentiles, throughput and errors by kind; --out writes results.json and report.html.
 * Ctrl-C stops cleanly and still writes what was measured.
 */
import { performance } from "node:perf_hooks";
import { loadEnvironment } from "../core/load-environment";
import { isInClusterHost } from "../core/ops/connect-plan";
import { cutFimCases } from "../core/ops/fim-cases";
import type { LevelResult, LoadMode, LoadTestResults } from "../core/ops/load-results";
import { formatResultsTable, sloLine } from "../core/ops/load-summary";
import { SeededRandom } from "../core/ops/random";
import { chatRequests, fimRequests, WORKLOAD_KINDS, type WorkloadKind, type WorkloadRequest } from "../core/ops/workload";
import { FIM_FAMILIES, NO_FIM, type FimFamily } from "../core/contract/outputs";
import { buildFimPrompt, guessFimFamily } from "../extension/src/core/fim";
import { canComplete } from "../extension/src/core/outputs";
import { UsageError, numberArg, numberListArg, parseFlags, stringArg } from "./args";
import { readApiKey } from "./ops/api-key";
import { openForwards, type Forwards } from "./ops/cluster-forwards";
import { CommandError, runCommand } from "./ops/command";
import { runLevel } from "./ops/load-runner";
import { endpointsOf, readOutputsFile } from "./ops/outputs-file";
import { progressView } from "./ops/progress";
import { sloTargets } from "./ops/slo-targets";
import { REPOSITORY_ROOT, readSourceTexts } from "./ops/source-files";
import { Cancellation, streamPool } from "./ops/stream-request";
import { writeResults } from "./ops/write-results";

const USAGE =
  "npm run loadtest -- (--outputs FILE --model NAME | --endpoint URL --model NAME) [--workload fim|chat] " +
  "[--concurrency 1,4,16,64 | --rate R[,R…]] [--requests N | --duration S] [--out DIR] [--env NAME] " +
  "[--max-tokens N] [--timeout S] [--seed N] [--source DIR] [--fim-template FAMILY] [--api-key-file PATH]";

const FLAGS = {
  outputs: { type: "string" },
  endpoint: { type: "string" },
  model: { type: "string" },
  env: { type: "string" },
  workload: { type: "string" },
  concurrency: { type: "string" },
  rate: { type: "string" },
  requests: { type: "string" },
  duration: { type: "string" },
  out: { type: "string" },
  "max-tokens": { type: "string" },
  timeout: { type: "string" },
  seed: { type: "string" },
  source: { type: "string" },
  "fim-template": { type: "string" },
  "api-key-file": { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
} as const;

const DEFAULT_CONCURRENCY = [1, 4, 16, 64];
const DEFAULT_REQUESTS = 100;
/** Distinct requests built per run; levels cycle through them. */
const WORKLOAD_SIZE = 500;

interface Target {
  baseUrl: string;
  model: string;
  fimTemplate: FimFamily | undefined;
  canComplete: boolean;
}

function resolveTarget(
  outputs: string | undefined,
  endpoint: string | undefined,
  model: string | undefined,
  env: string | undefined,
  fimFlag: string | undefined,
): Target {
  if ((outputs === undefined) === (endpoint === undefined)) throw new UsageError("give either --outputs FILE or --endpoint URL");
  const family = fimFlag === undefined ? undefined : parseFamily(fimFlag);
  if (endpoint !== undefined) {
    if (model === undefined) throw new UsageError("--endpoint needs --model NAME (the served model name)");
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:8000/v1, got "${endpoint}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--endpoint must start with http:// or https://");
    const baseUrl = url.href.replace(/\/+$/, "").replace(/(\/v1)?$/, "/v1");
    return { baseUrl, model, fimTemplate: family ?? guessFimFamily(model), canComplete: true };
  }
  const file = readOutputsFile(outputs as string);
  const candidates = endpointsOf(file, env);
  const chosen =
    model === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((e) => e.servedModelName === model);
  if (!chosen) {
    const names = candidates.map((e) => e.servedModelName).join(", ");
    throw new UsageError(
      model === undefined ? `--model is required: the outputs list ${names}` : `no model "${model}" in ${file.file} (it has: ${names})`,
    );
  }
  const fromOutputs = chosen.fimTemplate === NO_FIM ? undefined : chosen.fimTemplate;
  return { baseUrl: chosen.baseUrl, model: chosen.servedModelName, fimTemplate: family ?? fromOutputs, canComplete: canComplete(chosen) };
}

function parseFamily(value: string): FimFamily {
  if (!(FIM_FAMILIES as readonly string[]).includes(value))
    throw new UsageError(`--fim-template must be one of ${FIM_FAMILIES.join(", ")}`);
  return value as FimFamily;
}

function buildWorkload(kind: WorkloadKind, target: Target, maxTokens: number, random: SeededRandom, sourceRoot: string): WorkloadRequest[] {
  const settings = { model: target.model, maxTokens };
  if (kind === "chat") return chatRequests(WORKLOAD_SIZE, random, settings);
  const family = target.fimTemplate;
  if (!target.canComplete) throw new CommandError(`${target.model} is deployed without a FIM template (chat only); use --workload chat`);
  if (family === undefined)
    throw new UsageError(`cannot tell the FIM template of "${target.model}"; pass --fim-template (${FIM_FAMILIES.join(", ")})`);
  const cases = cutFimCases(readSourceTexts(sourceRoot), WORKLOAD_SIZE, random);
  if (cases.length === 0) throw new CommandError(`no source files to cut FIM cases from under ${sourceRoot}; pass --source DIR`);
  return fimRequests(cases, (c) => buildFimPrompt(family, { prefix: c.prefix, suffix: c.suffix, filePath: c.path }), settings);
}

async function main(): Promise<number> {
  const args = parseFlags(process.argv.slice(2), FLAGS);
  const workloadFlag = stringArg(args, "workload");
  if (workloadFlag !== undefined && !(WORKLOAD_KINDS as readonly string[]).includes(workloadFlag)) {
    throw new UsageError(`--workload must be one of ${WORKLOAD_KINDS.join(", ")}`);
  }
  if (args.concurrency !== undefined && args.rate !== undefined)
    throw new UsageError("give --concurrency (closed loop) or --rate (open loop), not both");
  if (args.requests !== undefined && args.duration !== undefined) throw new UsageError("give --requests N or --duration S, not both");
  const rates = numberListArg(args, "rate");
  const mode: LoadMode = rates ? "rate" : "concurrency";
  const levels = rates ?? numberListArg(args, "concurrency", { integer: true }) ?? DEFAULT_CONCURRENCY;
  const durationS = numberArg(args, "duration");
  const requestsFlag = numberArg(args, "requests", { integer: true });
  if (durationS !== undefined && !(durationS > 0)) throw new UsageError("--duration must be above 0 seconds");
  if (requestsFlag !== undefined && requestsFlag < 1) throw new UsageError("--requests must be at least 1");
  const requestsPerLevel = durationS === undefined ? (requestsFlag ?? DEFAULT_REQUESTS) : undefined;
  const timeoutS = numberArg(args, "timeout") ?? 60;
  if (!(timeoutS > 0)) throw new UsageError("--timeout must be above 0 seconds");
  const seed = numberArg(args, "seed", { integer: true }) ?? 1;
  const env = stringArg(args, "env");
  const sourceRoot = stringArg(args, "source") ?? REPOSITORY_ROOT;

  const target = resolveTarget(
    stringArg(args, "outputs"),
    stringArg(args, "endpoint"),
    stringArg(args, "model"),
    env,
    stringArg(args, "fim-template"),
  );
  let forwards: Forwards | undefined;
  if (isInClusterHost(new URL(target.baseUrl).hostname)) {
    if (env === undefined) {
      throw new CommandError(
        `${target.baseUrl} is a ClusterIP address only the cluster resolves: pass --env NAME (a port-forward is opened), or use the outputs file \`npm run connect\` writes`,
      );
    }
    const endpoint = readOutputsFile(stringArg(args, "outputs") as string).endpoints.find(
      (e) => e.servedModelName === target.model && e.environment === env,
    );
    forwards = await openForwards(loadEnvironment(env), endpoint ? [endpoint] : [], {
      firstPort: 0,
      kubeconfig: stringArg(args, "kubeconfig"),
      context: stringArg(args, "context"),
      timeoutMs: 10_000,
      log: (line) => console.log(line),
    });
    target.baseUrl = forwards.baseUrls.get(target.model) ?? target.baseUrl;
  }
  const workload: WorkloadKind = (workloadFlag as WorkloadKind | undefined) ?? (target.canComplete && target.fimTemplate ? "fim" : "chat");
  const maxTokens = numberArg(args, "max-tokens", { integer: true }) ?? (workload === "fim" ? 32 : 128);
  if (maxTokens < 1) throw new UsageError("--max-tokens must be at least 1");
  const slo = sloTargets(env);
  const apiKey = readApiKey(stringArg(args, "api-key-file"));
  const random = new SeededRandom(seed);
  const requests = buildWorkload(workload, target, maxTokens, random, sourceRoot);

  const baseUrl = new URL(target.baseUrl);
  const maxSockets = mode === "concurrency" ? Math.max(...levels) : Infinity;
  const agent = streamPool(baseUrl, maxSockets);
  const cancellation = new Cancellation();
  const onSigint = () => {
    if (cancellation.cancelled) process.exit(130);
    process.stderr.write("\nstopping (Ctrl-C again to quit at once): writing what was measured\n");
    cancellation.cancel();
  };
  process.on("SIGINT", onSigint);

  console.log(
    `loadtest ${target.model} at ${target.baseUrl}: ${workload} workload, ${mode === "concurrency" ? "concurrency" : "rate"} ${levels.join(", ")}, ${requestsPerLevel !== undefined ? `${requestsPerLevel} requests` : `${durationS} s`} per level`,
  );
  console.log(sloLine(slo));
  const startedAt = new Date().toISOString();
  const view = progressView(process.stderr);
  const results: LevelResult[] = [];
  const runStart = performance.now();
  for (const [index, value] of levels.entries()) {
    if (cancellation.cancelled) break;
    const result = await runLevel(
      { baseUrl, apiKey, pool: agent },
      {
        level: { mode, value },
        requests,
        count: requestsPerLevel,
        durationMs: durationS === undefined ? undefined : durationS * 1000,
        timeoutMs: timeoutS * 1000,
        random,
      },
      cancellation,
      (p) => view.update(p),
    );
    if (result.requests.sent > 0 || !cancellation.cancelled) results.push(result);
    view.levelDone(result, index, levels.length);
  }
  view.close();
  await agent.close();
  await forwards?.close();
  process.off("SIGINT", onSigint);

  const report: LoadTestResults = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: {
      endpoint: target.baseUrl,
      model: target.model,
      workload,
      fimTemplate: workload === "fim" ? target.fimTemplate : undefined,
      mode,
      levels,
      requestsPerLevel,
      durationS,
      maxTokens,
      timeoutS,
      seed,
      sourceRoot: workload === "fim" ? sourceRoot : undefined,
    },
    slo,
    levels: results,
    interrupted: cancellation.cancelled,
  };
  console.log(formatResultsTable(report).join("\n"));
  console.log(`total ${((performance.now() - runStart) / 1000).toFixed(1)} s`);
  const out = stringArg(args, "out");
  if (out !== undefined) {
    const written = writeResults(out, report);
    console.log(`wrote ${written.json} and ${written.html}`);
  }
  return cancellation.cancelled ? 130 : 0;
}

runCommand("loadtest", USAGE, main);
