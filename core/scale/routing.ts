/**
 * The router in front of a model's replicas: vllm-project/router (the vLLM project's Rust
 * router, image `vllm/vllm-router`), discovering the model's vLLM pods by their labels.
 * Pure: the policy names the environment file uses, the router's flags and its ports.
 *
 * Flags and defaults from vllm-project/router `docs/cli_reference.md` @ df71929b and
 * `docs/environment/kubernetes.md` @ c4f5b449 (read 2026-11-26): `--policy` takes `random,
 * round_robin, cache_aware, power_of_two, consistent_hash, rendezvous_hash` (default
 * cache_aware); `--service-discovery` with `--selector key=value …`,
 * `--service-discovery-namespace` (unset watches every namespace and needs cluster-wide
 * rights) and `--service-discovery-port` (default 80); `--prometheus-host`/`--prometheus-port`
 * (default 127.0.0.1:29000); `--worker-startup-timeout-secs` (default 600).
 */
import { LEADER_POD_LABELS } from "../leader-worker-set";
import type { ModelConfig } from "../schema/model";
import { GATEWAY_PORT, VLLM_PORT, modelResourceName, vllmPodLabels } from "../names";
import { peakReplicas } from "./autoscaling";

/** Routing policies as the environment file names them. */
export const ROUTING_POLICIES = ["cache-aware", "round-robin", "session"] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/**
 * The router's `--policy` for each: `session` is consistent hashing, which keeps the requests
 * of one conversation on one replica (docs/load_balancing/README.md @ 301790e7: "Multi-turn
 * conversations, KV cache reuse | Session affinity: Yes").
 */
export const ROUTER_POLICY_FLAG: Readonly<Record<RoutingPolicy, string>> = {
  "cache-aware": "cache_aware",
  "round-robin": "round_robin",
  session: "consistent_hash",
};

/**
 * Cache-aware for every role: completion requests of one file share long prefixes, and chat
 * turns resend the whole conversation, so both reuse a replica's prefix cache when they land
 * on it again.
 */
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = "cache-aware";

/** The router's API port inside its pod; the pod's gateway sidecar proxies `/v1` here, as it does to vLLM. */
export const ROUTER_PORT = VLLM_PORT;
/** The router's Prometheus listener (its default port). */
export const ROUTER_METRICS_PORT = 29000;

/** Two routers: one survives a node drain (its PodDisruptionBudget keeps one). */
export const DEFAULT_ROUTER_REPLICAS = 2;

/**
 * Whether a model gets a router: more than one replica can be behind its Service (a fixed
 * count or an autoscaling maximum), or it scales to zero (the router holds the Service, and its
 * request counter is what wakes the model).
 */
export function isRouted(config: Pick<ModelConfig, "replicas" | "autoscaling">): boolean {
  return peakReplicas(config) > 1 || config.autoscaling?.scaleToZero === true;
}

/** Labels of a model's router pods: never `app.kubernetes.io/name: vllm`, so vLLM's selectors and scrapes skip them. */
export function routerPodLabels(servedName: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "vllm-router",
    "app.kubernetes.io/part-of": "aicockpit",
    "app.kubernetes.io/instance": routerResourceName(servedName),
    "aicockpit.dev/model": servedName,
  };
}

/** Every router pod of the environment (the API NetworkPolicy admits clients to them). */
export const ROUTER_POD_SELECTOR = { "app.kubernetes.io/name": "vllm-router", "app.kubernetes.io/part-of": "aicockpit" };

/** `<model resource>-router`, kept within the 63 characters of a label value. */
export function routerResourceName(servedName: string): string {
  return `${modelResourceName(servedName).slice(0, 56).replace(/-$/, "")}-router`;
}

/**
 * The labels that pick exactly the pods of one model that serve its API: the router's discovery
 * selector. A replica spanning nodes serves from its leader (LeaderWorkerSet worker index 0).
 */
export function routedPodSelector(servedName: string, spansNodes = false): Record<string, string> {
  const labels = vllmPodLabels(servedName);
  return {
    "app.kubernetes.io/name": labels["app.kubernetes.io/name"],
    "app.kubernetes.io/instance": labels["app.kubernetes.io/instance"],
    ...(spansNodes ? LEADER_POD_LABELS : {}),
  };
}

/**
 * The router's arguments. Workers are reached on their gateway port, so every request still
 * passes the vLLM pod's API-key check: the router copies the client's headers, Authorization
 * among them, onto the request it sends (src/routers/http/router.rs @ 03e9af5c, "Copy all
 * headers from original request"). No `--api-key`: with it the router would authenticate to
 * the workers on behalf of anyone who reached it.
 */
export function routerArgs(
  servedName: string,
  namespace: string,
  policy: RoutingPolicy,
  workerStartupSeconds: number,
  spansNodes = false,
): string[] {
  const selector = Object.entries(routedPodSelector(servedName, spansNodes)).map(([key, value]) => `${key}=${value}`);
  return [
    "--host=0.0.0.0",
    `--port=${ROUTER_PORT}`,
    "--service-discovery",
    "--selector",
    ...selector,
    `--service-discovery-namespace=${namespace}`,
    `--service-discovery-port=${GATEWAY_PORT}`,
    `--policy=${ROUTER_POLICY_FLAG[policy]}`,
    `--worker-startup-timeout-secs=${workerStartupSeconds}`,
    "--prometheus-host=0.0.0.0",
    `--prometheus-port=${ROUTER_METRICS_PORT}`,
  ];
}
