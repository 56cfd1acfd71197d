/**
 * How each model's Service asks the AWS Load Balancer Controller for its NLB: ip targets
 * (straight to the pod's gateway port), TLS on 443 with the ACM certificate, the configured
 * scheme, and source ranges the controller writes into the NLB's security group.
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

export function nlbServiceExposure(loadBalancer: AwsTarget["loadBalancer"], certificateArn: string): NlbServiceExposure {
  return {
    type: "LoadBalancer",
    port: TLS_PORT,
    annotations: {
      // "external" hands the Service to the controller; the legacy in-tree controller ignores it.
      [`${ANNOTATION}-type`]: "external",
      [`${ANNOTATION}-nlb-target-type`]: "ip",
      [`${ANNOTATION}-scheme`]: loadBalancer.scheme,
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
