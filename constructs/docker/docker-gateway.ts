/**
 * The nginx gateway in front of a docker target's models: the only published serving port,
 * forwarding `<model path>/v1/*` and `<model path>/health` to each model over the internal
 * network (core/docker/gateway-config.ts).
 */
import { Container } from "@cdktf/provider-docker/lib/container";
import type { Network } from "@cdktf/provider-docker/lib/network";
import { Construct } from "constructs";
import { DOCKER_GATEWAY_HEALTH_PATH, dockerGatewayConfig, type DockerGatewayRoute } from "../../core/docker/gateway-config";
import { GATEWAY_PROXY_SETTINGS } from "../../core/gateway-config";
import { GATEWAY_PROXY_INCLUDE } from "../../core/gateway-locations";
import { GATEWAY_PORT } from "../../core/names";
import { GATEWAY_IMAGE } from "../../core/pins";
import { GATEWAY_SCRATCH_VOLUME, GATEWAY_UID } from "../serving/pod-security";
import { ConfigVolume } from "./config-volume";
import { HARDENED_CONTAINER } from "./hardening";

/** nginx's main configuration includes every `conf.d/*.conf` (the image's /etc/nginx/nginx.conf). */
const NGINX_CONF_DIR = "/etc/nginx/conf.d";

export interface DockerGatewayProps {
  /** Container name. */
  readonly containerName: string;
  /** One route per model. */
  readonly routes: readonly DockerGatewayRoute[];
  /** Host address the port is published on. */
  readonly bindAddress: string;
  /** Host port. */
  readonly hostPort: number;
  /** Internal network the models are on. */
  readonly modelsNetwork: Network;
  /** Network the port is published from (an internal network publishes nothing). */
  readonly edgeNetwork: Network;
}

export class DockerGateway extends Construct {
  public readonly container: Container;

  public constructor(scope: Construct, id: string, props: DockerGatewayProps) {
    super(scope, id);
    const config = new ConfigVolume(this, "config", {
      name: `${props.containerName}-config`,
      image: GATEWAY_IMAGE,
      mountPath: NGINX_CONF_DIR,
      files: [
        { file: `${NGINX_CONF_DIR}/default.conf`, content: dockerGatewayConfig(GATEWAY_PORT, props.routes) },
        { file: GATEWAY_PROXY_INCLUDE, content: GATEWAY_PROXY_SETTINGS },
      ],
    });
    this.container = new Container(this, "container", {
      name: props.containerName,
      image: GATEWAY_IMAGE,
      // Read-only root, no capability, no-new-privileges, as the vLLM containers.
      ...HARDENED_CONTAINER,
      user: `${GATEWAY_UID}:${GATEWAY_UID}`,
      volumes: [config.mount],
      // The only writable path: nginx-unprivileged moves its pid and every *_temp_path to /tmp
      // (docker-nginx-unprivileged stable/alpine-slim/Dockerfile @ 35a0ecd2, read 2026-11-26;
      // GATEWAY_SCRATCH_VOLUME on Kubernetes); its entrypoint skips the read-only default.conf.
      tmpfs: { [GATEWAY_SCRATCH_VOLUME.mountPath]: "rw,noexec,nosuid,size=64m" },
      ports: [{ internal: GATEWAY_PORT, external: props.hostPort, ip: props.bindAddress }],
      networksAdvanced: [{ name: props.modelsNetwork.name }, { name: props.edgeNetwork.name }],
      healthcheck: {
        // The nginx-unprivileged alpine image has busybox wget, not python; nginx answers this itself.
        test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${GATEWAY_PORT}${DOCKER_GATEWAY_HEALTH_PATH}`],
        interval: "30s",
        timeout: "5s",
        retries: 3,
      },
      dependsOn: [config.writer],
    });
  }
}
