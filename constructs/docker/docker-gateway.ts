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
import { GATEWAY_PORT } from "../../core/names";
import { GATEWAY_IMAGE } from "../../core/pins";
import { GATEWAY_SCRATCH_VOLUME, GATEWAY_UID } from "../serving/pod-security";
import { HARDENED_CONTAINER } from "./hardening";

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
    this.container = new Container(this, "container", {
      name: props.containerName,
      image: GATEWAY_IMAGE,
      ...HARDENED_CONTAINER,
      // Writable root, unlike Kubernetes: the provider writes `upload` with the engine's copy API,
      // which refuses a read-only root filesystem outside volumes (moby daemon/archive.go).
      readOnly: false,
      user: `${GATEWAY_UID}:${GATEWAY_UID}`,
      upload: [
        { file: "/etc/nginx/conf.d/default.conf", content: dockerGatewayConfig(GATEWAY_PORT, props.routes) },
        { file: "/etc/nginx/conf.d/proxy.inc", content: GATEWAY_PROXY_SETTINGS },
      ],
      // nginx writes its pid and temp files under /tmp (the image's unprivileged layout).
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
    });
  }
}
