/**
 * The checks doctor runs on one endpoint, in order; a check that makes the rest meaningless
 * (the host does not resolve, the certificate is bad, the server is down) skips them with the
 * reason, so each failure kind reads as itself.
 */
import { performance } from "node:perf_hooks";
import { CHECK_IDS, skipRemaining, type CheckResult, type EndpointReport } from "../../core/ops/doctor-report";
import { calibrate, CALIBRATION_WARN_PERCENT, CACHE_CONFIG_METRIC, liveKvCache } from "../../core/ops/kv-calibration";
import type { SloTargets } from "../../core/ops/load-results";
import { parseSamples } from "../../core/ops/prometheus-text";
import { tlsVerdict } from "../../core/ops/tls-verdict";
import { toolCheckRequest, toolCheckVerdict } from "../../core/ops/tool-check";
import type { WorkloadRequest } from "../../core/ops/workload";
import { GATEWAY_TOKENIZE_PATH, tokenizeRequest, tokenizeResponseSchema, verifyFimMarkers } from "../../core/contract/fim";
import { NO_FIM } from "../../core/contract/outputs";
import { canChat, type Endpoint } from "../../extension/src/core/outputs";
import { apiKeyHint } from "./api-key";
import { httpRequest, inspectTls, isProbeError, resolveHost } from "./probes";
import { Cancellation, sendStreamed, streamPool } from "./stream-request";

/** vLLM's own routes beside `/v1` (FastAPI's docs, metrics, tokenizer, server info): never public. */
export const PRIVATE_ROUTES = [
  "/metrics",
  "/docs",
  "/openapi.json",
  "/redoc",
  "/tokenize",
  "/detokenize",
  "/version",
  "/server_info",
] as const;

export interface EndpointProbe {
  endpoint: Endpoint;
  apiKey: string | undefined;
  timeoutMs: number;
  slo: SloTargets;
  /** vLLM's /metrics for this model, when the operator can reach it (port-forward, in-cluster). */
  metricsUrl?: string;
  /** The planner's KV-cache tokens for this model, when the environment is known. */
  plannedKvTokens?: number;
  now: Date;
}

const LOOPBACK = /^(127\.|localhost$|\[::1\]$|::1$)/;

function origin(baseUrl: string): string {
  // The base URL ends in /v1; the server's other routes sit beside it (under the same prefix).
  return baseUrl.replace(/\/v1\/?$/, "");
}

export async function checkEndpoint(probe: EndpointProbe): Promise<EndpointReport> {
  const { endpoint } = probe;
  const url = new URL(endpoint.baseUrl);
  const checks: CheckResult[] = [];
  const report = (): EndpointReport => ({
    environment: endpoint.environment,
    model: endpoint.servedModelName,
    baseUrl: endpoint.baseUrl,
    checks,
  });
  const stop = (reason: string): EndpointReport => {
    checks.push(...skipRemaining(checks, CHECK_IDS, reason));
    return report();
  };

  const addresses = await resolveHost(url.hostname.replace(/^\[|\]$/g, ""), probe.timeoutMs);
  if (isProbeError(addresses)) {
    checks.push({
      check: "dns",
      status: "fail",
      summary: `${url.hostname} does not resolve (${addresses.error})${url.hostname.endsWith(".svc.cluster.local") ? ": a ClusterIP address; run `npm run connect` or pass --env NAME" : ""}`,
    });
    return stop("the host does not resolve");
  }
  checks.push({ check: "dns", status: "pass", summary: `${url.hostname} → ${addresses.join(", ")}`, data: { addresses } });

  if (url.protocol === "https:") {
    const facts = await inspectTls(url, probe.timeoutMs);
    if (isProbeError(facts)) {
      checks.push({ check: "tls", status: "fail", summary: `no TLS handshake: ${facts.error}` });
      return stop(facts.error.includes("ECONNREFUSED") ? "the endpoint is down" : "no TLS handshake");
    }
    const verdict = tlsVerdict(facts, probe.now);
    checks.push(verdict);
    if (verdict.status === "fail") return stop("the certificate is not valid");
  } else if (LOOPBACK.test(url.hostname)) {
    checks.push({ check: "tls", status: "skip", summary: "plain HTTP on this machine (a port-forward or the fixture)" });
  } else {
    checks.push({
      check: "tls",
      status: "warn",
      summary: "plain HTTP: requests and the API key cross the network unencrypted (use LoadBalancer or Ingress exposure with TLS)",
    });
  }

  const health = await checkHealth(probe, checks);
  if (health) return stop(health);

  const modelsStop = await checkModels(probe, checks);
  if (modelsStop) return stop(modelsStop);

  await checkStream(probe, checks, "completion");
  if (canChat(endpoint)) await checkStream(probe, checks, "chat");
  else checks.push({ check: "chat", status: "skip", summary: "a completion-only model" });
  await checkFim(probe, checks);
  await checkTools(probe, checks);
  await checkExposure(probe, checks);
  await checkKvCache(probe, checks);
  return report();
}

/** Tool calling, where the outputs declare it (`tool_calling: true`). */
async function checkTools(probe: EndpointProbe, checks: CheckResult[]): Promise<void> {
  const { endpoint } = probe;
  if (endpoint.toolCalling !== true) {
    checks.push({ check: "tools", status: "skip", summary: "the outputs do not declare tool calling for this model" });
    return;
  }
  const answer = await httpRequest(`${endpoint.baseUrl}/chat/completions`, {
    method: "POST",
    apiKey: probe.apiKey,
    body: toolCheckRequest(endpoint.servedModelName),
    timeoutMs: probe.timeoutMs,
  });
  if (isProbeError(answer)) checks.push({ check: "tools", status: "fail", summary: `a request with tools failed: ${answer.error}` });
  else checks.push(toolCheckVerdict(answer.status, answer.body));
}

/**
 * The server is up. `/health` where the gateway serves it (at the root); an Ingress routes only
 * `/<model>/v1` to a model, so under a path prefix any answer of `/v1/models` (401 without a key)
 * shows the server is up. Returns why the remaining checks cannot run, if they cannot.
 */
async function checkHealth(probe: EndpointProbe, checks: CheckResult[]): Promise<string | undefined> {
  const { endpoint } = probe;
  const prefixed = new URL(endpoint.baseUrl).pathname.replace(/\/v1\/?$/, "") !== "";
  const url = prefixed ? `${endpoint.baseUrl}/models` : `${origin(endpoint.baseUrl)}/health`;
  const answer = await httpRequest(url, { timeoutMs: probe.timeoutMs });
  if (isProbeError(answer)) {
    checks.push({ check: "health", status: "fail", summary: `down: ${answer.error}` });
    return "the endpoint is down";
  }
  if (prefixed) {
    const up = answer.status === 200 || answer.status === 401;
    checks.push({
      check: "health",
      status: up ? "pass" : "fail",
      summary: up
        ? `up: /v1/models answers ${answer.status} without a key (/health is not routed under the Ingress prefix)`
        : `/v1/models answers ${answer.status} (the Ingress or vLLM is not serving this model: check the pod's log)`,
    });
    return up ? undefined : "the endpoint is not serving";
  }
  checks.push(
    answer.status === 200
      ? { check: "health", status: "pass", summary: "/health answers 200" }
      : {
          check: "health",
          status: "fail",
          summary: `/health answers ${answer.status} (vLLM is starting or its engine is dead: check the pod's log)`,
        },
  );
  return undefined;
}

/**
 * /v1/models with the key: the key works, the model is served with the promised max length.
 * Returns why the remaining checks cannot run, if they cannot.
 */
async function checkModels(probe: EndpointProbe, checks: CheckResult[]): Promise<string | undefined> {
  const { endpoint } = probe;
  const answer = await httpRequest(`${endpoint.baseUrl}/models`, { apiKey: probe.apiKey, timeoutMs: probe.timeoutMs });
  if (isProbeError(answer)) {
    checks.push({ check: "models", status: "fail", summary: `/v1/models failed: ${answer.error}` });
    return "the API did not answer";
  }
  if (answer.status === 401 || answer.status === 403) {
    const why = probe.apiKey ? "the API key was refused (wrong key)" : "the API needs a key and none was given";
    checks.push({ check: "models", status: "fail", summary: `${why}: ${apiKeyHint(endpoint.apiKeySecret)}` });
    return "the API refused the key";
  }
  if (answer.status !== 200) {
    checks.push({ check: "models", status: "fail", summary: `/v1/models answered ${answer.status}` });
    return "the API failed";
  }
  let cards: { id?: unknown; max_model_len?: unknown; parent?: unknown }[] = [];
  try {
    cards = (JSON.parse(answer.body) as { data?: typeof cards }).data ?? [];
  } catch {
    checks.push({ check: "models", status: "fail", summary: "/v1/models did not answer JSON (is this a vLLM endpoint?)" });
    return "not a vLLM API";
  }
  const served = cards.map((c) => String(c.id));
  const card = cards.find((c) => c.id === endpoint.servedModelName);
  if (!card) {
    checks.push({
      check: "models",
      status: "fail",
      summary: `model "${endpoint.servedModelName}" is missing: the server serves ${served.join(", ") || "nothing"}`,
    });
    return "the model is not served";
  }
  // vLLM lists a LoRA adapter with its parent and no max_model_len: the parent's length is the adapter's.
  const lengthCard =
    (card.max_model_len === null || card.max_model_len === undefined) && typeof card.parent === "string"
      ? (cards.find((c) => c.id === card.parent) ?? card)
      : card;
  if (lengthCard.max_model_len !== endpoint.maxModelLen) {
    checks.push({
      check: "models",
      status: "fail",
      summary: `served with max_model_len ${String(lengthCard.max_model_len)}, the outputs promise ${endpoint.maxModelLen}: redeploy, or regenerate the outputs file`,
      data: { served: lengthCard.max_model_len, promised: endpoint.maxModelLen },
    });
    return undefined;
  }
  checks.push({
    check: "models",
    status: "pass",
    summary: `key accepted; "${endpoint.servedModelName}" served with max_model_len ${endpoint.maxModelLen}`,
  });
  return undefined;
}

/** One small streamed request and its time to first token. */
async function checkStream(probe: EndpointProbe, checks: CheckResult[], kind: "completion" | "chat"): Promise<void> {
  const { endpoint } = probe;
  const request: WorkloadRequest =
    kind === "completion"
      ? {
          path: "/v1/completions",
          body: JSON.stringify({
            model: endpoint.servedModelName,
            prompt: "def add(a, b):\n    return",
            max_tokens: 8,
            temperature: 0,
            stream: true,
            stream_options: { include_usage: true },
          }),
        }
      : {
          path: "/v1/chat/completions",
          body: JSON.stringify({
            model: endpoint.servedModelName,
            messages: [{ role: "user", content: "Say hello." }],
            max_tokens: 8,
            temperature: 0,
            stream: true,
            stream_options: { include_usage: true },
          }),
        };
  const baseUrl = new URL(endpoint.baseUrl);
  const pool = streamPool(baseUrl, 1);
  try {
    const outcome = await sendStreamed(
      { baseUrl, apiKey: probe.apiKey, pool },
      request,
      performance.now(),
      probe.timeoutMs,
      new Cancellation(),
    );
    if (outcome.ok !== true) {
      const kindText = outcome.ok === false ? outcome.kind : "cancelled";
      checks.push({ check: kind, status: "fail", summary: `a small streamed ${kind} request failed: ${kindText}` });
      return;
    }
    const ttft = Math.round(outcome.ttftMs);
    const data = { ttftMs: outcome.ttftMs, e2eMs: outcome.e2eMs, outputTokens: outcome.outputTokens };
    if (kind === "completion" && endpoint.role !== "chat" && ttft > probe.slo.completionTtftP95Ms) {
      checks.push({
        check: kind,
        status: "warn",
        summary: `first token in ${ttft} ms, above the ${probe.slo.completionTtftP95Ms} ms SLO (one request; the SLO is a p95: run \`npm run loadtest\`)`,
        data,
      });
      return;
    }
    checks.push({
      check: kind,
      status: "pass",
      summary: `first token in ${ttft} ms, ${outcome.outputTokens} tokens in ${Math.round(outcome.e2eMs)} ms`,
      data,
    });
  } finally {
    await pool.close();
  }
}

/** Why a tokenize call failed, for the verdict. */
class TokenizeFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * The FIM markers of the model's template family are single tokens on the server's tokenizer,
 * through the gateway's `/v1/tokenize` with the key: the check the extension runs on connect
 * (core/contract/fim.ts, one implementation). A split marker or a wrong family is reported, with
 * the family whose markers would fit.
 */
async function checkFim(probe: EndpointProbe, checks: CheckResult[]): Promise<void> {
  const { endpoint } = probe;
  if (endpoint.fimTemplate === NO_FIM || endpoint.role === "chat") {
    checks.push({ check: "fim", status: "skip", summary: "no fill-in-the-middle template (a chat model)" });
    return;
  }
  const family = endpoint.fimTemplate;
  const base = endpoint.baseUrl.replace(/\/v1\/?$/, "");
  const tokenize = async (text: string): Promise<readonly number[]> => {
    const answer = await httpRequest(`${base}${GATEWAY_TOKENIZE_PATH}`, {
      method: "POST",
      apiKey: probe.apiKey,
      body: tokenizeRequest(endpoint.servedModelName, text),
      timeoutMs: probe.timeoutMs,
    });
    if (isProbeError(answer)) throw new TokenizeFailure(answer.error);
    if (answer.status !== 200) throw new TokenizeFailure(`${GATEWAY_TOKENIZE_PATH} answered ${answer.status}`, answer.status);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      throw new TokenizeFailure(`${GATEWAY_TOKENIZE_PATH} did not answer JSON`);
    }
    const parsed = tokenizeResponseSchema.safeParse(json);
    if (!parsed.success) throw new TokenizeFailure(`${GATEWAY_TOKENIZE_PATH} answered an unexpected shape`);
    return parsed.data.tokens;
  };
  try {
    const verdict = await verifyFimMarkers(family, tokenize);
    const data = {
      family,
      split: verdict.split.map((c) => ({ marker: c.marker, tokenIds: c.tokenIds })),
      matchingFamilies: verdict.matchingFamilies,
      stopTokenIds: verdict.stopTokenIds,
    };
    checks.push(
      verdict.ok
        ? { check: "fim", status: "pass", summary: verdict.message, data }
        : { check: "fim", status: "fail", summary: verdict.message, data },
    );
  } catch (error) {
    const failure = error instanceof TokenizeFailure ? error : new TokenizeFailure(String(error));
    if (failure.status === 404) {
      checks.push({
        check: "fim",
        status: "warn",
        summary: `the gateway has no ${GATEWAY_TOKENIZE_PATH} (deployed by an older kit): redeploy to let doctor and the extension check the ${family} FIM markers`,
      });
      return;
    }
    checks.push({ check: "fim", status: "fail", summary: `cannot check the ${family} FIM markers: ${failure.message}` });
  }
}

/** vLLM's routes beside /v1 must answer 404 through the public endpoint (the gateway's job). */
async function checkExposure(probe: EndpointProbe, checks: CheckResult[]): Promise<void> {
  const base = origin(probe.endpoint.baseUrl);
  const answers = await Promise.all(
    PRIVATE_ROUTES.map(async (route) => ({ route, answer: await httpRequest(`${base}${route}`, { timeoutMs: probe.timeoutMs }) })),
  );
  const exposed = answers
    .filter(({ answer }) => !isProbeError(answer) && answer.status >= 200 && answer.status < 400)
    .map(({ route }) => route);
  if (exposed.length > 0) {
    checks.push({
      check: "exposure",
      status: "fail",
      summary: `reachable without the API key: ${exposed.join(", ")}: traffic bypasses the gateway (expose the Service's gateway port, not vLLM's)`,
      data: { exposed },
    });
    return;
  }
  checks.push({
    check: "exposure",
    status: "pass",
    summary: `${PRIVATE_ROUTES.length} routes beside /v1 are not reachable (${PRIVATE_ROUTES.slice(0, 3).join(", ")}, …)`,
  });
}

/** vLLM's live KV cache next to the planner's prediction: the planner checked in the field. */
async function checkKvCache(probe: EndpointProbe, checks: CheckResult[]): Promise<void> {
  if (probe.metricsUrl === undefined) {
    checks.push({
      check: "kv-cache",
      status: "skip",
      summary: "vLLM's metrics are not reachable from here (pass --metrics MODEL=URL, or --env NAME for a port-forward)",
    });
    return;
  }
  const answer = await httpRequest(probe.metricsUrl, { timeoutMs: probe.timeoutMs });
  if (isProbeError(answer) || answer.status !== 200) {
    checks.push({
      check: "kv-cache",
      status: "warn",
      summary: `cannot read ${probe.metricsUrl}: ${isProbeError(answer) ? answer.error : `status ${answer.status}`}`,
    });
    return;
  }
  const live = liveKvCache(parseSamples(answer.body, CACHE_CONFIG_METRIC));
  if ("missing" in live) {
    checks.push({ check: "kv-cache", status: "warn", summary: live.missing });
    return;
  }
  const liveText = `live KV cache ${live.tokens.toLocaleString("en-US")} tokens (${live.numGpuBlocks} blocks of ${live.blockSize})`;
  if (probe.plannedKvTokens === undefined) {
    checks.push({ check: "kv-cache", status: "pass", summary: `${liveText}; pass --env NAME to compare with the planner`, data: { live } });
    return;
  }
  const c = calibrate(live, probe.plannedKvTokens);
  const summary = `${liveText}, planner predicted ${c.predictedTokens.toLocaleString("en-US")} (${c.errorPercent > 0 ? "+" : ""}${c.errorPercent} %)`;
  checks.push({
    check: "kv-cache",
    status: Math.abs(c.errorPercent) > CALIBRATION_WARN_PERCENT ? "warn" : "pass",
    summary:
      Math.abs(c.errorPercent) > CALIBRATION_WARN_PERCENT
        ? `${summary}: the planner is off; send this data point back (docs/operations.md)`
        : summary,
    data: { live, calibration: c },
  });
}
