/**
 * nginx configuration of a docker target's gateway: one server, each model under its own path
 * with the routes the Kubernetes gateway gives a model (core/gateway-locations.ts):
 * `<path>/v1/*`, `<path>/v1/tokenize` behind the API key, and `<path>/health`, forwarded to the
 * model's container on the private network. Everything else, vLLM's `/metrics` included, answers 404.
 */
import { GATEWAY_TOKENIZE_PATH } from "../contract/fim";
import {
  KEY_CHECK_LOCATION,
  NOT_FOUND_LOCATION,
  apiLocation,
  healthLocation,
  keyCheckLocation,
  tokenizeLocation,
  type GatewayUpstream,
} from "../gateway-locations";
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

function modelLocations({ path, container }: DockerGatewayRoute): string {
  // Resolved per request, so the gateway starts before the models do.
  const upstream: GatewayUpstream = { origin: `http://${container}:${VLLM_PORT}`, resolvedPerRequest: true };
  // Each model's key check asks that model's vLLM: the key is shared, the servers are not.
  const keyCheck = `${KEY_CHECK_LOCATION}${path}`;
  return [
    apiLocation(path, upstream),
    tokenizeLocation(`${path}${GATEWAY_TOKENIZE_PATH}`, upstream, keyCheck),
    keyCheckLocation(keyCheck, upstream),
    healthLocation(`${path}/health`, upstream),
  ].join("\n");
}

export function dockerGatewayConfig(listenPort: number, routes: readonly DockerGatewayRoute[]): string {
  return `server {
  listen ${listenPort};
  server_tokens off;
  client_max_body_size 32m;
  resolver ${DOCKER_DNS} valid=10s;
${routes.map(modelLocations).join("\n")}

  location = ${DOCKER_GATEWAY_HEALTH_PATH} {
    access_log off;
    return 200;
  }
${NOT_FOUND_LOCATION}
}
`;
}
