/**
 * "Open means said twice": access that admits everyone, plain HTTP reachable from public
 * addresses, or a monitoring endpoint without authentication is refused unless the file also sets
 * `acknowledgePublicAccess` beside it, with the reason; then synth warns. An acknowledgement where
 * nothing is open is refused too, so it never outlives the exposure it excused.
 */
import { admitsEveryone, parsedBlocks, reachesPublicAddresses, NON_PUBLIC_RANGES } from "../cidr";
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";

export interface PublicAccessFindings {
  issues: ConfigIssue[];
  warnings: string[];
}

/** What is open, if anything, at one place of the file. */
interface Exposure {
  /** Path of the block holding `acknowledgePublicAccess`, e.g. `exposure`. */
  at: string;
  /** The field that opens it, named in the refusal. */
  field: string;
  acknowledgement: string | undefined;
  /** Why it counts as open; undefined when it does not. */
  open: string | undefined;
  /** How to close it instead of acknowledging it. */
  close: string;
}

/**
 * ingress-nginx's authentication annotations: an external auth service (`auth-url`) or basic/digest
 * auth against a Secret (`auth-type`) ("External Basic Authentication" and "Basic Authentication"
 * examples, kubernetes.github.io/ingress-nginx, read 2026-11-26).
 */
export const AUTHENTICATION_ANNOTATIONS = ["nginx.ingress.kubernetes.io/auth-url", "nginx.ingress.kubernetes.io/auth-type"] as const;

const PRIVATE = NON_PUBLIC_RANGES.slice(0, 3).join(", ");

export function publicAccessFindings(file: string, config: EnvironmentConfig): PublicAccessFindings {
  const findings: PublicAccessFindings = { issues: [], warnings: [] };
  for (const exposure of exposures(config)) {
    if (exposure.open && exposure.acknowledgement === undefined) {
      findings.issues.push({
        file,
        field: exposure.field,
        message: exposure.open,
        fix: `${exposure.close}; or, if it must be open, say why in ${exposure.at}.acknowledgePublicAccess`,
      });
    } else if (exposure.open) {
      findings.warnings.push(`public access acknowledged at ${exposure.at}: ${exposure.open}; reason given: "${exposure.acknowledgement}"`);
    } else if (exposure.acknowledgement !== undefined) {
      findings.issues.push({
        file,
        field: `${exposure.at}.acknowledgePublicAccess`,
        message: "nothing here is open to everyone, so there is nothing to acknowledge",
        fix: "remove acknowledgePublicAccess",
      });
    }
  }
  return findings;
}

function exposures(config: EnvironmentConfig): Exposure[] {
  const found: Exposure[] = [];
  const { exposure, target, monitoring } = config;
  if (exposure.type === "NodePort" || exposure.type === "LoadBalancer") {
    const blocks = parsedBlocks(exposure.allowedCidrs);
    // A node port is on every node's address; an internet-facing load balancer has a public one.
    const publicAddress = exposure.type === "NodePort" || !exposure.internal;
    const open = admitsEveryone(blocks)
      ? `exposure.allowedCidrs admit every address, and ${exposure.type} serves the models over plain HTTP`
      : publicAddress && reachesPublicAddresses(blocks)
        ? `exposure.allowedCidrs reach public addresses (${exposure.allowedCidrs.join(", ")}), and ${exposure.type} serves the models over plain HTTP: API keys and code cross the network unencrypted`
        : undefined;
    found.push({
      at: "exposure",
      field: "exposure.allowedCidrs",
      acknowledgement: exposure.acknowledgePublicAccess,
      open,
      close: `limit allowedCidrs to private ranges (${PRIVATE}), or use exposure.type Ingress, which serves TLS`,
    });
  }
  if (target.kind === "aws") {
    const { loadBalancer } = target;
    found.push({
      at: "target.loadBalancer",
      field: "target.loadBalancer.allowedCidrs",
      acknowledgement: loadBalancer.acknowledgePublicAccess,
      open: admitsEveryone(parsedBlocks(loadBalancer.allowedCidrs))
        ? "target.loadBalancer.allowedCidrs admit every address: whoever can route to it reaches the models, with only the API key in the way"
        : undefined,
      close: "list the CIDRs of your office, VPN or clients in allowedCidrs",
    });
  }
  if (target.kind === "docker") {
    const loopback = target.bindAddress.startsWith("127.");
    found.push({
      at: "target",
      field: "target.bindAddress",
      acknowledgement: target.acknowledgePublicAccess,
      open: loopback
        ? undefined
        : `target.bindAddress ${target.bindAddress} publishes the gateway${monitoring.enabled ? ", Prometheus, Alertmanager and Grafana" : ""} beyond this machine over plain HTTP: API keys and code cross the network unencrypted`,
      close: "keep bindAddress 127.0.0.1 and reach it through an SSH tunnel (docs/deploy-docker.md)",
    });
  }
  const prometheus = monitoring.enabled ? monitoring.prometheusIngress : undefined;
  if (prometheus) {
    const authenticated = AUTHENTICATION_ANNOTATIONS.some((key) => key in prometheus.annotations);
    found.push({
      at: "monitoring.prometheusIngress",
      field: "monitoring.prometheusIngress.annotations",
      acknowledgement: prometheus.acknowledgePublicAccess,
      open: authenticated
        ? undefined
        : `Prometheus, which has no login of its own, is published at https://${prometheus.host} without an authentication annotation: whoever reaches it reads every metric and label`,
      close: `add authentication to annotations (${AUTHENTICATION_ANNOTATIONS.join(" or ")}), or remove prometheusIngress and use kubectl port-forward`,
    });
  }
  return found;
}
