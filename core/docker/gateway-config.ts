/**
 * nginx configuration of a docker target's gateway: one server, each model under its own path,
 * forwarding only `<path>/v1/*` and `<path>/health` to the model's container on the private
 * network. Everything else, vLLM's `/metrics` included, answers 404. vLLM checks the key on /v1.
 */
import { VLLM_PORT } from "../names";

export interface DockerGatewayRoute {
  /** `/<container name>` (core/docker/endpoint.ts). */
  readonly path: string;
  /** The model's container name, resolved by Docker's DNS on the private network. */
  readonly container: string;
}

/** The gateway's own liveness, answered by nginx (the container's health check). */
export const DOCKER_GATEWAY_HEALTH_PATH = "/gateway-health";

/** Docker's embedded DNS server on user-defined networks (docs.docker.com, "Networking overview", DNS services). */
const DOCKER_DNS = "127.0.0.11";

export function dockerGatewayConfig(listenPort: number, routes: readonly DockerGatewayRoute[]): string {
  const locations = routes
    .map(
      ({ path, container }) => `
  location ${path}/v1/ {
    set $upstream http://${container}:${VLLM_PORT};
    rewrite ^${path}(/v1/.*)$ $1 break;
    proxy_pass $upstream;
    include /etc/nginx/conf.d/proxy.inc;
  }

  location = ${path}/health {
    set $upstream http://${container}:${VLLM_PORT};
    rewrite ^ /health break;
    proxy_pass $upstream;
  }`,
    )
    .join("\n");
  // A variable upstream is resolved per request, so the gateway starts before the models do.
  return `server {
  listen ${listenPort};
  server_tokens off;
  client_max_body_size 32m;
  resolver ${DOCKER_DNS} valid=10s;
${locations}

  location = ${DOCKER_GATEWAY_HEALTH_PATH} {
    access_log off;
    return 200;
  }

  location / {
    return 404;
  }
}
`;
}
