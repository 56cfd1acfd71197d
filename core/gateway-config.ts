/**
 * nginx configuration of the API gateway sidecar. vLLM's API key guards only `/v1`, and
 * vLLM serves `/metrics`, `/tokenize`, `/version` and more beside it: clients get `/v1/*`,
 * `/health` and `/v1/tokenize` through the gateway; everything else answers 404.
 */
import { GATEWAY_TOKENIZE_PATH, VLLM_TOKENIZE_PATH } from "./contract/fim";
import { GATEWAY_PORT, VLLM_PORT } from "./names";

/** Internal location of the API-key check; `internal` makes it unreachable from outside. */
const AUTH_LOCATION = "/__aicockpit_auth";

/**
 * vLLM's `/tokenize` (outside `/v1`, so unauthenticated in vLLM) exposed as `/v1/tokenize`
 * behind the same key: nginx's auth_request first asks vLLM's `/v1/models` with the caller's
 * Authorization header, which vLLM's key middleware answers 401 for a wrong or missing key.
 * The pinned image (core/pins.ts GATEWAY_IMAGE) installs nginx.org's package, built with
 * `--with-http_auth_request_module` (nginx/pkg-oss tag 1.27.5-1, alpine/Makefile
 * BASE_CONFIGURE_ARGS, 2025-04-16; docker-nginx-unprivileged installs that package). Still so
 * for the 1.30.4 pin: docker-nginx-unprivileged `stable/alpine/Dockerfile` @ e26803b
 * (2026-07-15) installs nginx.org's 1.30.4-r1 package (pkg-oss 1.30.4-1 as fallback), and
 * pkg-oss's alpine/Makefile keeps the flag (@ e6727633, 2026-04-07); read 2026-11-26.
 */
function tokenizeLocation(path: string, replicas?: string): string {
  // In front of a router, which has no /tokenize: any replica's gateway tokenizes, and checks the key itself.
  if (replicas)
    return `
  location = ${path} {
    proxy_pass ${replicas}${GATEWAY_TOKENIZE_PATH};
    include /etc/nginx/conf.d/proxy.inc;
  }`;
  return `
  location = ${path} {
    auth_request ${AUTH_LOCATION};
    proxy_pass http://127.0.0.1:${VLLM_PORT}${VLLM_TOKENIZE_PATH};
    include /etc/nginx/conf.d/proxy.inc;
  }`;
}

/**
 * @param tokenizeReplicas base URL (`http://host:port`) of the model's replicas' gateways, for a
 * gateway in front of the router (core/scale/routing.ts), which serves no `/tokenize`.
 */
export function gatewayConfig(pathPrefix: string, tokenizeReplicas?: string): string {
  const prefixed = pathPrefix
    ? `
  # Ingress exposure serves each model under its own prefix, stripped here.
  location ${pathPrefix}/v1/ {
    proxy_pass http://127.0.0.1:${VLLM_PORT}/v1/;
    include /etc/nginx/conf.d/proxy.inc;
  }
${tokenizeLocation(`${pathPrefix}${GATEWAY_TOKENIZE_PATH}`, tokenizeReplicas)}`
    : "";
  return `server {
  listen ${GATEWAY_PORT};
  server_tokens off;
  client_max_body_size 32m;

  location /v1/ {
    proxy_pass http://127.0.0.1:${VLLM_PORT}/v1/;
    include /etc/nginx/conf.d/proxy.inc;
  }
${tokenizeLocation(GATEWAY_TOKENIZE_PATH, tokenizeReplicas)}
${prefixed}
  location = ${AUTH_LOCATION} {
    internal;
    proxy_method GET;
    proxy_pass http://127.0.0.1:${VLLM_PORT}/v1/models;
    proxy_pass_request_body off;
    proxy_set_header Content-Length "";
    proxy_set_header Host $host;
  }

  location = /health {
    proxy_pass http://127.0.0.1:${VLLM_PORT}/health;
  }

  location / {
    return 404;
  }
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
