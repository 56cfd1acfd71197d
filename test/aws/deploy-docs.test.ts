/** docs/deploy-aws.md states numbers and versions the code decides: they must agree. */
import fs from "node:fs";
import path from "node:path";
import { LOAD_BALANCER_CONTROLLER_CHART, NVIDIA_DEVICE_PLUGIN_CHART } from "../../core/pins";
import { HOURS_PER_MONTH, awsCostEstimate, usd } from "../../core/aws/cost";
import { deployStackNames } from "../../core/aws/names";
import { TLS_POLICY } from "../../core/aws/nlb-service";
import { PRICE_TABLE_DATE } from "../../core/catalog/aws-prices";
import { listEnvironments, loadEnvironment, type AwsEnvironment } from "../../core/load-environment";

const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/deploy-aws.md"), "utf8");
const awsEnvironments = listEnvironments()
  .map((name) => loadEnvironment(name))
  .filter((environment) => environment.config.target.kind === "aws");

describe.each(awsEnvironments.map((e) => [e.name, e] as const))("docs/deploy-aws.md on %s", (name, environment) => {
  const cost = awsCostEstimate((environment as AwsEnvironment).config);

  it("states its hourly and monthly cost as synth computes it", () => {
    const row = doc.split("\n").find((line) => line.startsWith(`| ${name} |`));
    expect(row).toBeDefined();
    expect(row).toContain(`= ${usd(cost.nodesUsdPerHour)} |`);
    expect(row).toContain(`**${usd(cost.totalUsdPerHour)}**`);
    expect(row).toContain(usd(cost.totalUsdPerHour * HOURS_PER_MONTH));
    for (const item of cost.items.filter((i) => i.instanceType)) expect(row).toContain(`${item.count} × ${item.instanceType}`);
  });
});

describe("docs/deploy-aws.md", () => {
  it("deploys the dev example's three stacks cluster first and destroys them serving first", () => {
    const stacks = deployStackNames(loadEnvironment("dev"));
    expect(stacks).toEqual(["aicockpit-dev-cluster", "aicockpit-dev-services", "aicockpit-dev"]);
    expect(doc).toContain(`AICOCKPIT_ENV=dev npx cdktf deploy ${stacks.join(" ")}`);
    expect(doc).toContain(`AICOCKPIT_ENV=dev npx cdktf destroy ${[...stacks].reverse().join(" ")}`);
  });

  it("names the price table's date, the pinned chart versions and the TLS policy", () => {
    expect(doc).toContain(`list prices of ${PRICE_TABLE_DATE}`);
    expect(doc).toContain(`NVIDIA device plugin \`${NVIDIA_DEVICE_PLUGIN_CHART.version}\``);
    expect(doc).toContain(`AWS Load Balancer Controller \`${LOAD_BALANCER_CONTROLLER_CHART.version}\``);
    expect(doc).toContain(TLS_POLICY);
  });
});
