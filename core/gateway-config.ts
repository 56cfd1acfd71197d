/**
 * nginx configuration of the API gateway sidecar. vLLM's API key guards only `/v1`, and
 * vLLM serves `/metrics`, `/tokenize`, `/version` and more beside it: clients get `/v1/*`
 * and `/health` through the gateway; everything else answers 404.
 */
import { GATEWAY_PORT, VLLM_PORT } from "./names";

export function gatewayConfig(pathPrefix: string): string {
  const prefixed = pathPrefix
    ? `
  # Ingress exposure serves each model under its own prefix, stripped here.
  location ${pathPrefix}/v1/ {
    proxy_pass http://127.0.0.1:${VLLM_PORT}/v1/;
    include /etc/nginx/conf.d/proxy.inc;
  }`
    : "";
  return `server {
  listen ${GATEWAY_PORT};
  server_tokens off;
  client_max_body_size 32m;

  location /v1/ {
    proxy_pass http://127.0.0.1:${VLLM_PORT}/v1/;
    include /etc/nginx/conf.d/proxy.inc;
  }
${prefixed}
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
