/**
 * How each model's Service asks the AWS Load Balancer Controller for its NLB: ip targets
 * (straight to the pod's gateway port), TLS on 443 with the ACM certificate, the configured
 * scheme in the kit's load balancer subnets, and source ranges the controller writes into the
 * NLB's security group. Annotations: kubernetes-sigs/aws-load-balancer-controller
 * `docs/guide/service/annotations.md` @ 225f4456 (2026-08-17).
 */
import type { AwsTarget } from "../schema/target";

export const TLS_PORT = 443;

/** TLS 1.3 and 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

const ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer";

export interface NlbServiceExposure {
  type: "LoadBalancer";
  port: number;
  annotations: Record<string, string>;
  loadBalancerSourceRanges: string[];
}

/**
 * The NLB's idle timeout on TLS listeners: 350 s, not configurable ("Update the TCP idle timeout
 * for your Network Load Balancer listener", docs.aws.amazon.com/elasticloadbalancing/latest/
 * network/update-idle-timeout.html, read 2026-11-26). The gateway's timeouts stay below it.
 */
export const NLB_TLS_IDLE_TIMEOUT_SECONDS = 350;

/**
 * @param subnetIds the subnets of the NLB's scheme (the kit's `elb` or `internal-elb` subnets):
 *   named explicitly so the NLB is where the models' NetworkPolicy expects its traffic from.
 */
export function nlbServiceExposure(
  loadBalancer: AwsTarget["loadBalancer"],
  certificateArn: string,
  subnetIds: readonly string[],
): NlbServiceExposure {
  return {
    type: "LoadBalancer",
    port: TLS_PORT,
    annotations: {
      // "external" hands the Service to the controller; the legacy in-tree controller ignores it.
      [`${ANNOTATION}-type`]: "external",
      [`${ANNOTATION}-nlb-target-type`]: "ip",
      [`${ANNOTATION}-scheme`]: loadBalancer.scheme,
      [`${ANNOTATION}-subnets`]: subnetIds.join(","),
      [`${ANNOTATION}-ssl-cert`]: certificateArn,
      [`${ANNOTATION}-ssl-ports`]: String(TLS_PORT),
      [`${ANNOTATION}-ssl-negotiation-policy`]: TLS_POLICY,
      [`${ANNOTATION}-backend-protocol`]: "tcp",
      // Ready means vLLM answers, not merely that the gateway accepts connections.
      [`${ANNOTATION}-healthcheck-protocol`]: "http",
      [`${ANNOTATION}-healthcheck-path`]: "/health",
      [`${ANNOTATION}-healthcheck-port`]: "traffic-port",
    },
    loadBalancerSourceRanges: loadBalancer.allowedCidrs,
  };
}
