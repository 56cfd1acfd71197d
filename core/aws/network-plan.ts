/**
 * How the VPC CIDR is cut into subnets, per availability zone: the first quarter of the VPC
 * holds the small public subnets (NAT gateways, internet-facing NLBs) and, in its last
 * sixteenth, the internal NLBs' subnets; each of the other three quarters is one AZ's private
 * subnet, where nodes and pods live (the VPC CNI gives every pod a VPC address, so private
 * subnets get the room). No pod ever has an address in a load balancer subnet, which is what
 * lets the models' NetworkPolicy admit the NLBs and nothing else (docs/deploy-aws.md).
 */
import type { AwsTarget } from "../schema/target";

export const MAX_ZONES = 3;
/** Zones used when the environment lists none: EKS needs its control plane in two. */
export const DEFAULT_ZONE_COUNT = 2;

export interface SubnetLayout {
  /** NAT gateways and internet-facing NLBs. */
  public: string[];
  /** Internal NLBs only. */
  internalLoadBalancer: string[];
  /** Nodes and pods. */
  private: string[];
  /**
   * EKS places its control-plane interfaces in subnets of at least two AZs. A single-AZ
   * environment gets this extra private subnet in another AZ for them; no node uses it.
   */
  controlPlaneOnly?: string;
}

export function subnetLayout(vpcCidr: string, zones: number): SubnetLayout {
  if (zones < 1 || zones > MAX_ZONES) throw new RangeError(`between 1 and ${MAX_ZONES} zones, got ${zones}`);
  const indexes = Array.from({ length: zones }, (_, i) => i);
  return {
    public: indexes.map((i) => cidrSubnet(vpcCidr, 4, i)),
    // The fourth sixteenth is free (at most three public subnets): a /22 of a /16 per AZ there.
    internalLoadBalancer: indexes.map((i) => cidrSubnet(vpcCidr, 6, 12 + i)),
    private: indexes.map((i) => cidrSubnet(vpcCidr, 2, i + 1)),
    controlPlaneOnly: zones === 1 ? cidrSubnet(vpcCidr, 2, 2) : undefined,
  };
}

export interface NetworkPlan {
  /** Zone names from the environment file; absent: the first available ones, looked up at deploy time. */
  zoneNames?: string[];
  zoneCount: number;
  /** One per AZ in production (an AZ outage keeps the others online), else one for all. */
  natGateways: number;
  subnets: SubnetLayout;
}

export function networkPlan(target: AwsTarget): NetworkPlan {
  const zoneCount = target.availabilityZones?.length ?? DEFAULT_ZONE_COUNT;
  return {
    zoneNames: target.availabilityZones,
    zoneCount,
    natGateways: target.production ? zoneCount : 1,
    subnets: subnetLayout(target.vpcCidr, zoneCount),
  };
}

/** Terraform's cidrsubnet() for IPv4: the `netNum`-th subnet with `newBits` more prefix bits. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const newPrefix = prefix + newBits;
  if (newPrefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new RangeError(`${cidr} has no subnet ${netNum} of /${newPrefix}`);
  }
  const base = toNumber(address) & mask(prefix);
  return `${toAddress(base + netNum * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function toNumber(address: string): number {
  return address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0) >>> 0;
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** The subnets the models' NLBs are placed in, by scheme: where their traffic to the pods comes from. */
export function loadBalancerSubnets(layout: SubnetLayout, scheme: AwsTarget["loadBalancer"]["scheme"]): string[] {
  return scheme === "internal" ? layout.internalLoadBalancer : layout.public;
}
