import { cidrSubnet, networkPlan, subnetLayout } from "../../core/aws/network-plan";
import { awsTargetSchema } from "../../core/schema/target";

const target = (extra: Record<string, unknown> = {}) =>
  awsTargetSchema.parse({
    kind: "aws",
    region: "us-east-1",
    eksVersion: "1.36",
    apiAllowedCidrs: ["203.0.113.0/24"],
    loadBalancer: { allowedCidrs: ["10.0.0.0/8"], domain: "ai.example.com", route53ZoneId: "Z123" },
    ...extra,
  });

function range(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const start = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}

describe("cidrSubnet", () => {
  it("matches Terraform's cidrsubnet()", () => {
    expect(cidrSubnet("10.0.0.0/16", 4, 0)).toBe("10.0.0.0/20");
    expect(cidrSubnet("10.0.0.0/16", 4, 2)).toBe("10.0.32.0/20");
    expect(cidrSubnet("10.20.0.0/16", 2, 1)).toBe("10.20.64.0/18");
    expect(cidrSubnet("10.20.0.0/16", 2, 3)).toBe("10.20.192.0/18");
    expect(cidrSubnet("172.16.0.0/20", 2, 3)).toBe("172.16.12.0/22");
    expect(cidrSubnet("192.168.0.0/16", 8, 255)).toBe("192.168.255.0/24");
  });

  it("refuses subnets that do not exist", () => {
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(RangeError);
    expect(() => cidrSubnet("10.0.0.0/30", 4, 0)).toThrow(RangeError);
  });
});

describe("subnetLayout", () => {
  it("gives each AZ a small public and a large private subnet, none overlapping, all inside the VPC", () => {
    const layout = subnetLayout("10.20.0.0/16", 3);
    expect(layout.public).toEqual(["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]);
    expect(layout.internalLoadBalancer).toEqual(["10.20.48.0/22", "10.20.52.0/22", "10.20.56.0/22"]);
    expect(layout.private).toEqual(["10.20.64.0/18", "10.20.128.0/18", "10.20.192.0/18"]);
    const ranges = [...layout.public, ...layout.internalLoadBalancer, ...layout.private].map(range);
    const [vpcStart, vpcEnd] = range("10.20.0.0/16");
    for (const [i, [start, end]] of ranges.entries()) {
      expect(start).toBeGreaterThanOrEqual(vpcStart);
      expect(end).toBeLessThanOrEqual(vpcEnd);
      for (const [otherStart, otherEnd] of ranges.slice(i + 1)) expect(end < otherStart || otherEnd < start).toBe(true);
    }
    expect(layout.controlPlaneOnly).toBeUndefined();
  });

  it("adds a control-plane-only subnet in a second AZ for a single-AZ environment", () => {
    expect(subnetLayout("10.0.0.0/16", 1)).toEqual({
      public: ["10.0.0.0/20"],
      internalLoadBalancer: ["10.0.48.0/22"],
      private: ["10.0.64.0/18"],
      controlPlaneOnly: "10.0.128.0/18",
    });
  });

  it("supports one to three AZs", () => {
    expect(() => subnetLayout("10.0.0.0/16", 0)).toThrow(RangeError);
    expect(() => subnetLayout("10.0.0.0/16", 4)).toThrow(RangeError);
  });
});

describe("networkPlan", () => {
  it("defaults to two AZs looked up at deploy time and one NAT gateway", () => {
    const plan = networkPlan(target());
    expect(plan.zoneNames).toBeUndefined();
    expect(plan.zoneCount).toBe(2);
    expect(plan.natGateways).toBe(1);
    expect(plan.subnets.private).toEqual(["10.0.64.0/18", "10.0.128.0/18"]);
  });

  it("gives production one NAT gateway per AZ", () => {
    const plan = networkPlan(target({ production: true, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }));
    expect(plan.zoneNames).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(plan.natGateways).toBe(3);
    expect(networkPlan(target({ production: true })).natGateways).toBe(2);
    expect(networkPlan(target({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] })).natGateways).toBe(1);
  });
});
