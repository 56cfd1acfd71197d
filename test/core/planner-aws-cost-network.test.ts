/**
 * The aws cost and network planning, at the edges the mutation run (stryker.config.mjs) found
 * untested: the printed lines word for word, and cidrSubnet's limits.
 */
import { awsCostEstimate, formatCostLines } from "../../core/aws/cost";
import { cidrSubnet, subnetLayout } from "../../core/aws/network-plan";
import type { AwsEnvironment } from "../../core/load-environment";
import { awsEnvironment } from "../aws/fixtures";

const lines = (environment: ReturnType<typeof awsEnvironment>) => formatCostLines(awsCostEstimate((environment as AwsEnvironment).config));

describe("the cost lines", () => {
  it("print fixed charges without an instance type, and the totals' caveat in full", () => {
    const printed = lines(awsEnvironment());
    expect(printed).toContain("EKS control plane: 1 × $0.1 = $0.10/h");
    expect(printed).toContain("NAT gateways: 1 × $0.045 = $0.05/h");
    expect(printed.at(-1)).toBe(
      "nodes $1.17/h · total $1.34/h ≈ $976.08 per month of 730 h, before EBS storage, data transfer and NLB capacity units",
    );
  });

  it("say which node has no price in the region", () => {
    const printed = lines(awsEnvironment((doc) => (doc.target.region = "eu-central-1")));
    expect(printed).toContain("pool l4: 1 × g6.2xlarge @ no price in the table for eu-central-1");
    expect(printed).toContain("EKS control plane: 1 × $0.1 = $0.10/h");
  });
});

describe("cidrSubnet at its limits", () => {
  it("cuts down to /32 and no further, and refuses a negative subnet number", () => {
    expect(cidrSubnet("10.0.0.0/30", 2, 3)).toBe("10.0.0.3/32");
    expect(() => cidrSubnet("10.0.0.0/30", 3, 0)).toThrow("10.0.0.0/30 has no subnet 0 of /33");
    expect(() => cidrSubnet("10.0.0.0/16", 2, -1)).toThrow("10.0.0.0/16 has no subnet -1 of /18");
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow("10.0.0.0/16 has no subnet 4 of /18");
  });

  it("clears the host bits of the base address, for every prefix length including /0", () => {
    expect(cidrSubnet("10.20.30.40/24", 2, 1)).toBe("10.20.30.64/26");
    expect(cidrSubnet("10.1.2.3/0", 1, 1)).toBe("128.0.0.0/1");
    expect(cidrSubnet("10.1.2.3/0", 1, 0)).toBe("0.0.0.0/1");
  });

  it("names the zones it refuses", () => {
    expect(() => subnetLayout("10.0.0.0/16", 4)).toThrow("between 1 and 3 zones, got 4");
    expect(() => subnetLayout("10.0.0.0/16", 0)).toThrow("between 1 and 3 zones, got 0");
  });
});
