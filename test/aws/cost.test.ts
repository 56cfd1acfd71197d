import { awsCostEstimate, formatCostLines, usd } from "../../core/aws/cost";
import { loadEnvironment, type AwsEnvironment } from "../../core/load-environment";
import { awsEnvironment } from "./fixtures";

function estimate(environment: ReturnType<typeof awsEnvironment>) {
  return awsCostEstimate((environment as AwsEnvironment).config);
}

describe("awsCostEstimate", () => {
  it("prices one g6.2xlarge, two m6i.large system nodes, the control plane, one NAT gateway and one NLB", () => {
    const cost = estimate(awsEnvironment());
    // 0.9776 + 2 × 0.096
    expect(cost.nodesUsdPerHour).toBeCloseTo(1.1696, 10);
    // + 0.10 (EKS) + 0.045 (NAT) + 0.0225 (NLB)
    expect(cost.totalUsdPerHour).toBeCloseTo(1.3371, 10);
    expect(cost.items.map((i) => [i.what, i.count, i.instanceType])).toEqual([
      ["pool l4", 1, "g6.2xlarge"],
      ["system nodes", 2, "m6i.large"],
      ["EKS control plane", 1, undefined],
      ["NAT gateways", 1, undefined],
      ["NLBs (one per model)", 1, undefined],
    ]);
    expect(cost.unpriced).toEqual([]);
  });

  it("counts nodes per pool, one NAT gateway per AZ in production and one NLB per model", () => {
    const cost = estimate(
      awsEnvironment((doc) => {
        doc.target.production = true;
        doc.target.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"];
        doc.target.systemNodes = { instanceType: "t3.large", nodes: 3 };
        doc.gpuPools = [
          { name: "l4", instanceType: "g6.2xlarge", nodes: 3 },
          { name: "big", instanceType: "g6e.12xlarge", nodes: 1 },
        ];
        doc.models.push({
          servedName: "chat",
          model: "qwen2.5-coder-32b-instruct",
          role: "chat",
          pool: "big",
          tensorParallel: 4,
          maxModelLen: 16384,
        });
      }),
    );
    // 3 × 0.9776 + 1 × 10.49264 + 3 × 0.0832
    expect(cost.nodesUsdPerHour).toBeCloseTo(13.67504, 10);
    // + 0.10 + 3 × 0.045 + 2 × 0.0225
    expect(cost.totalUsdPerHour).toBeCloseTo(13.95504, 10);
  });

  it("leaves types without a price out of the totals and lists them", () => {
    const cost = estimate(awsEnvironment((doc) => (doc.target.region = "eu-central-1")));
    expect(cost.nodesUsdPerHour).toBe(0);
    expect(cost.totalUsdPerHour).toBeCloseTo(0.1675, 10);
    expect(cost.unpriced.map((i) => i.instanceType)).toEqual(["g6.2xlarge", "m6i.large"]);
    expect(formatCostLines(cost).at(-1)).toBe("not in the totals (no price in the table): g6.2xlarge, m6i.large");
  });

  it("prints the dated price, each line and the totals", () => {
    const lines = formatCostLines(estimate(awsEnvironment()));
    expect(lines[0]).toBe("on-demand list prices of 2025-06 in us-east-1 (core/catalog/aws-prices.ts), per hour:");
    expect(lines).toContain("pool l4: 1 × g6.2xlarge @ $0.9776 = $0.98/h");
    expect(lines).toContain("system nodes: 2 × m6i.large @ $0.096 = $0.19/h");
    expect(lines.at(-1)).toMatch(/^nodes \$1\.17\/h · total \$1\.34\/h ≈ \$976\.08 per month of 730 h/);
  });
});

describe("the environments' cost", () => {
  it("prod: one p5.48xlarge, one g6e.2xlarge, three m6i.xlarge, three NAT gateways, two NLBs", () => {
    const prod = loadEnvironment("prod");
    const cost = awsCostEstimate((prod as AwsEnvironment).config);
    // 55.04 + 2.24208 + 3 × 0.192
    expect(cost.nodesUsdPerHour).toBeCloseTo(57.85808, 10);
    // + 0.10 + 3 × 0.045 + 2 × 0.0225
    expect(cost.totalUsdPerHour).toBeCloseTo(58.13808, 10);
  });
});

describe("usd", () => {
  it("rounds to cents, half up, with thousands separators", () => {
    expect(usd(0.045)).toBe("$0.05");
    expect(usd(0.0225)).toBe("$0.02");
    expect(usd(42162.61)).toBe("$42,162.61");
    expect(usd(0)).toBe("$0.00");
  });
});
