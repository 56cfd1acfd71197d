/**
 * Container settings every long-running container of a docker target gets, the Docker side of
 * the Kubernetes restricted profile (constructs/serving/pod-security.ts): no capability, no
 * privilege escalation, a read-only root, restarted unless stopped by hand.
 */
import type { ContainerConfig, ContainerHealthcheck } from "@cdktf/provider-docker/lib/container";

export const HARDENED_CONTAINER = {
  readOnly: true,
  capabilities: { drop: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  restart: "unless-stopped",
} as const satisfies Partial<ContainerConfig>;

/**
 * An HTTP health check run inside the container with Python (the vLLM image has it; curl is not
 * guaranteed), with a start period long enough for a first start that downloads the weights.
 */
export function healthcheck(url: string, startSeconds: number, intervalSeconds: number): ContainerHealthcheck {
  return {
    test: ["CMD", "python3", "-c", `import urllib.request; urllib.request.urlopen("${url}", timeout=5)`],
    interval: `${intervalSeconds}s`,
    timeout: "5s",
    retries: 3,
    startPeriod: `${startSeconds}s`,
  };
}
