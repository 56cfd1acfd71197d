/** Where a docker target's models answer: one gateway port, one path per model. */
import type { DockerTarget } from "../schema/target";
import { modelResourceName } from "../names";

/** The model's path on the gateway, `/<container name>`; its API is under `<path>/v1`. */
export function dockerModelPath(servedName: string): string {
  return `/${modelResourceName(servedName)}`;
}

/**
 * The host clients use: the bind address, or, when the gateway listens on every address, the
 * SSH host (or loopback for the local engine). A loopback bind on an SSH host is reached
 * through a tunnel (`ssh -L`, docs/deploy-docker.md), so loopback is the right address then too.
 */
export function dockerClientHost(target: DockerTarget): string {
  if (target.bindAddress !== "0.0.0.0") return target.bindAddress;
  const ssh = /^ssh:\/\/[^@]+@([^:]+)/.exec(target.host);
  return ssh ? ssh[1] : "127.0.0.1";
}

export function dockerBaseUrl(target: DockerTarget, servedName: string): string {
  return `http://${dockerClientHost(target)}:${target.ports.gateway}${dockerModelPath(servedName)}/v1`;
}
