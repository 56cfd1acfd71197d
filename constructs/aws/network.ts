import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { NetworkPlan } from "../../core/aws/network-plan";

export interface AwsNetworkProps {
  /** Prefix of Name tags: `aicockpit-dev`. */
  readonly name: string;
  /** The EKS cluster's name, for the subnet tags its load balancer controller discovers subnets by. */
  readonly clusterName: string;
  /** The VPC's IPv4 CIDR. */
  readonly vpcCidr: string;
  /** Subnet CIDRs, availability zones and NAT gateway count, planned from the target. */
  readonly plan: NetworkPlan;
}

/**
 * The VPC: per AZ a public subnet (NAT gateway, internet-facing NLBs), a small one for internal
 * NLBs and a private one (nodes, pods). Nodes get no public address; they reach out through
 * NAT. Load balancers never share a subnet with pods, so a NetworkPolicy can tell them apart.
 */
export class AwsNetwork extends Construct {
  /** The VPC; the load balancer controller puts the NLBs into it. */
  readonly vpc: Vpc;
  /** Where the nodes run. */
  readonly privateSubnets: readonly Subnet[];
  /** Where internet-facing NLBs go (and the NAT gateways). */
  readonly publicSubnets: readonly Subnet[];
  /** Where internal NLBs go. */
  readonly internalLoadBalancerSubnets: readonly Subnet[];
  /** Private subnets plus, for a single-AZ environment, the extra one EKS needs for its control plane. */
  readonly controlPlaneSubnets: readonly Subnet[];

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const { plan, name } = props;
    let lookup: DataAwsAvailabilityZones | undefined;
    // The region's zones, looked up at deploy time only when the file lists none (or too few for EKS).
    const availableZones = (): string[] =>
      (lookup ??= new DataAwsAvailabilityZones(this, "available", {
        state: "available",
        filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      })).names;
    const zone = (index: number): string => plan.zoneNames?.[index] ?? Token.asString(Fn.element(availableZones(), index));
    const tags = (tagName: string, extra: Record<string, string> = {}) => ({ Name: `${name}-${tagName}`, ...extra });

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tags("vpc"),
    });
    // Strips the default security group's allow-all rules: nothing may use it by accident.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: this.vpc.id, tags: tags("default-deny") });
    const gateway = new InternetGateway(this, "internet-gateway", { vpcId: this.vpc.id, tags: tags("igw") });

    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" };
    // The load balancer controller discovers internet-facing NLB subnets by the `elb` role tag and
    // internal ones by `internal-elb`; the models' Services also name their subnets explicitly.
    const subnets = (kind: "public" | "internal-lb" | "private", cidrs: string[], role?: string) =>
      cidrs.map(
        (cidrBlock, index) =>
          new Subnet(this, `${kind}-${index}`, {
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: zone(index),
            mapPublicIpOnLaunch: false,
            tags: tags(`${kind}-${index}`, { ...clusterTag, ...(role && { [`kubernetes.io/role/${role}`]: "1" }) }),
          }),
      );
    const publicSubnets = subnets("public", plan.subnets.public, "elb");
    this.publicSubnets = publicSubnets;
    this.internalLoadBalancerSubnets = subnets("internal-lb", plan.subnets.internalLoadBalancer, "internal-elb");
    this.privateSubnets = subnets("private", plan.subnets.private);
    const controlPlaneOnly =
      plan.subnets.controlPlaneOnly === undefined
        ? []
        : [
            new Subnet(this, "control-plane-only", {
              vpcId: this.vpc.id,
              cidrBlock: plan.subnets.controlPlaneOnly,
              // Any available AZ other than the environment's one.
              availabilityZone: Token.asString(Fn.element(Fn.tolist(Fn.setsubtract(availableZones(), [zone(0)])), 0)),
              mapPublicIpOnLaunch: false,
              tags: tags("control-plane-only"),
            }),
          ];
    this.controlPlaneSubnets = [...this.privateSubnets, ...controlPlaneOnly];

    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: this.vpc.id, tags: tags("public") });
    new Route(this, "public-default-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: gateway.id,
    });
    publicSubnets.forEach((subnet, index) => {
      new RouteTableAssociation(this, `public-${index}-routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const natGateways = Array.from({ length: plan.natGateways }, (_, index) => {
      const address = new Eip(this, `nat-${index}-address`, { domain: "vpc", tags: tags(`nat-${index}`) });
      return new NatGateway(this, `nat-${index}`, {
        allocationId: address.allocationId,
        subnetId: publicSubnets[index].id,
        tags: tags(`nat-${index}`),
        dependsOn: [gateway],
      });
    });
    const privateRoutes = this.privateSubnets.map((subnet, index) => {
      const table = new RouteTable(this, `private-${index}-routes`, { vpcId: this.vpc.id, tags: tags(`private-${index}`) });
      new Route(this, `private-${index}-default-route`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        // Each AZ uses its own NAT gateway when there is one per AZ, else the shared one.
        natGatewayId: natGateways[Math.min(index, natGateways.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-${index}-association`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });
    controlPlaneOnly.forEach((subnet) => {
      new RouteTableAssociation(this, "control-plane-only-association", { subnetId: subnet.id, routeTableId: privateRoutes[0].id });
    });
  }
}
