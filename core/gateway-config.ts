/**
 * nginx configuration of the API gateway sidecar: clients get `/v1/*`, `/health` and
 * `/v1/tokenize` (behind the key) of the pod's vLLM; everything else answers 404
 * (core/gateway-locations.ts, shared with the docker target's gateway).
 */
import { GATEWAY_TOKENIZE_PATH } from "./contract/fim";
import {
  KEY_CHECK_LOCATION,
  NOT_FOUND_LOCATION,
  apiLocation,
  healthLocation,
  keyCheckLocation,
  passOnLocation,
  tokenizeLocation,
  type GatewayUpstream,
} from "./gateway-locations";
import { GATEWAY_PORT, VLLM_PORT } from "./names";

/** vLLM in the same pod. */
const POD_VLLM: GatewayUpstream = { origin: `http://127.0.0.1:${VLLM_PORT}`, resolvedPerRequest: false };

/**
 * auth_request (the tokenize route's key check) needs nginx's auth_request module. The pinned
 * image (core/pins.ts GATEWAY_IMAGE) installs nginx.org's package, built with
 * `--with-http_auth_request_module` (nginx/pkg-oss tag 1.27.5-1, alpine/Makefile
 * BASE_CONFIGURE_ARGS, 2025-04-16; docker-nginx-unprivileged installs that package). Still so
 * for the 1.30.4 pin: docker-nginx-unprivileged `stable/alpine/Dockerfile` @ e26803b
 * (2026-07-15) installs nginx.org's 1.30.4-r1 package (pkg-oss 1.30.4-1 as fallback), and
 * pkg-oss's alpine/Makefile keeps the flag (@ e6727633, 2026-04-07); read 2026-11-26.
 */
function podTokenizeLocation(path: string, replicas?: string): string {
  // In front of a router, which has no /tokenize: any replica's gateway tokenizes, and checks the key itself.
  return replicas ? passOnLocation(path, `${replicas}${GATEWAY_TOKENIZE_PATH}`) : tokenizeLocation(path, POD_VLLM, KEY_CHECK_LOCATION);
}

/**
 * @param tokenizeReplicas base URL (`http://host:port`) of the model's replicas' gateways, for a
 * gateway in front of the router (core/scale/routing.ts), which serves no `/tokenize`.
 */
export function gatewayConfig(pathPrefix: string, tokenizeReplicas?: string): string {
  const prefixed = pathPrefix
    ? `
  # Ingress exposure serves each model under its own prefix, stripped here.${apiLocation(pathPrefix, POD_VLLM)}
${podTokenizeLocation(`${pathPrefix}${GATEWAY_TOKENIZE_PATH}`, tokenizeReplicas)}`
    : "";
  return `server {
  listen ${GATEWAY_PORT};
  server_tokens off;
  client_max_body_size 32m;
${apiLocation("", POD_VLLM)}
${podTokenizeLocation(GATEWAY_TOKENIZE_PATH, tokenizeReplicas)}
${prefixed}${keyCheckLocation(KEY_CHECK_LOCATION, POD_VLLM)}
${healthLocation("/health", POD_VLLM)}
${NOT_FOUND_LOCATION}
}
`;
}

/**
 * How long the gateway waits on vLLM between two reads or writes. Below the AWS NLB's fixed
 * 350 s idle timeout on TLS listeners (NLB_TLS_IDLE_TIMEOUT_SECONDS): a stalled request ends
 * with nginx's 504, which the client sees, and not with the NLB silently dropping the flow.
 */
export const GATEWAY_TIMEOUT_SECONDS = 300;

/** Streaming completions must reach the client token by token: no buffering, long reads. */
export const GATEWAY_PROXY_SETTINGS = `proxy_http_version 1.1;
proxy_set_header Connection "";
proxy_set_header Host $host;
proxy_buffering off;
proxy_cache off;
proxy_read_timeout ${GATEWAY_TIMEOUT_SECONDS}s;
proxy_send_timeout ${GATEWAY_TIMEOUT_SECONDS}s;
`;
