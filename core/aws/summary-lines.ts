/** The AWS parts of the synth summary: cluster shape, the TLS load balancer and the hourly cost. */
import type { AwsEnvironmentConfig } from "../environment";
import type { AwsTarget } from "../schema/target";
import { awsCostEstimate, formatCostLines } from "./cost";
import { networkPlan } from "./network-plan";

const label = (name: string) => `  ${name.padEnd(11)}`;
const CONTINUED = " ".repeat(13);

export function awsExposureLine(target: AwsTarget): string {
  const lb = target.loadBalancer;
  const certificate = lb.certificateArn ? `certificate ${lb.certificateArn}` : `DNS-validated certificate for *.${lb.domain}`;
  const dns = lb.route53ZoneId
    ? `records in Route 53 zone ${lb.route53ZoneId}`
    : "DNS records are yours to create (see the load_balancers output)";
  return `NLB per model (${lb.scheme}), TLS on 443 with ${certificate}, allowed from ${lb.allowedCidrs.join(", ")}; ${dns}`;
}

export function awsClusterLines(config: AwsEnvironmentConfig): string[] {
  const { target } = config;
  const network = networkPlan(target);
  const zones = network.zoneNames?.join(", ") ?? `the first ${network.zoneCount} available in ${target.region}`;
  const [heading, ...cost] = formatCostLines(awsCostEstimate(config));
  return [
    `${label("cluster")}EKS ${target.eksVersion}${target.production ? " (production)" : ""}, VPC ${target.vpcCidr} over AZs ${zones}, ` +
      `${network.natGateways} NAT gateway(s); ${apiEndpointLine(target)}`,
    `${CONTINUED}system nodes ${target.systemNodes.nodes} × ${target.systemNodes.instanceType}; ` +
      config.gpuPools.map((pool) => `pool ${pool.name} ${poolNodes(pool)} × ${pool.instanceType.id}`).join("; "),
    `${label("cost")}${heading}`,
    ...cost.map((line) => `${CONTINUED}${line}`),
  ];
}

/** `1`, or `1 (0–2, cluster autoscaler)` for a node group the cluster autoscaler resizes. */
function poolNodes(pool: AwsEnvironmentConfig["gpuPools"][number]): string {
  const min = pool.minNodes ?? pool.nodes;
  const max = pool.maxNodes ?? pool.nodes;
  return min === max ? String(pool.nodes) : `${pool.nodes} (${min}–${max}, cluster autoscaler)`;
}

/** Private unless the file asks for public access (apiAllowedCidrs). */
function apiEndpointLine(target: AwsTarget): string {
  return target.apiAllowedCidrs
    ? `API endpoint private + public from ${target.apiAllowedCidrs.join(", ")}`
    : "API endpoint private (VPC only)";
}
