/** What an AWS environment costs per hour at on-demand list prices, before anything is deployed. */
import { buildsSharedModelCache } from "./names";
import {
  EKS_CONTROL_PLANE_USD_PER_HOUR,
  NAT_GATEWAY_USD_PER_HOUR,
  NLB_USD_PER_HOUR,
  PRICE_TABLE_DATE,
  ec2PricePerHour,
} from "../catalog/aws-prices";
import type { AwsEnvironmentConfig } from "../environment";
import { networkPlan } from "./network-plan";
import { gpuNodeGroupPlans, systemNodeGroupPlan } from "./node-groups";

export interface CostItem {
  what: string;
  count: number;
  /** Instance type for nodes; absent for fixed charges. */
  instanceType?: string;
  /** Price of one, USD/hour; undefined when the table has no price for it. */
  eachUsdPerHour: number | undefined;
  node: boolean;
}

export interface CostEstimate {
  region: string;
  priceDate: string;
  items: CostItem[];
  nodesUsdPerHour: number;
  /** The nodes with every autoscaled GPU node group at its max size (equal to nodesUsdPerHour when none scales). */
  peakNodesUsdPerHour: number;
  totalUsdPerHour: number;
  /** Items left out of the totals for want of a price. */
  unpriced: CostItem[];
  /** Charges by usage the estimate leaves out, named for the reader. */
  usageCharges: string[];
}

export const HOURS_PER_MONTH = 730;

export function awsCostEstimate(config: AwsEnvironmentConfig): CostEstimate {
  const { target } = config;
  const nodeItem = (what: string, instanceType: string, count: number): CostItem => ({
    what,
    count,
    instanceType,
    eachUsdPerHour: ec2PricePerHour(target.region, instanceType),
    node: true,
  });
  const system = systemNodeGroupPlan(target);
  const items: CostItem[] = [
    ...gpuNodeGroupPlans(config.gpuPools).map((group) =>
      nodeItem(`pool ${group.name.replace(/^gpu-/, "")}`, group.instanceType, group.desired),
    ),
    nodeItem("system nodes", system.instanceType, system.desired),
    { what: "EKS control plane", count: 1, eachUsdPerHour: EKS_CONTROL_PLANE_USD_PER_HOUR, node: false },
    { what: "NAT gateways", count: networkPlan(target).natGateways, eachUsdPerHour: NAT_GATEWAY_USD_PER_HOUR, node: false },
    { what: "NLBs (one per model)", count: config.models.length, eachUsdPerHour: NLB_USD_PER_HOUR, node: false },
  ];
  const sum = (list: CostItem[]) => list.reduce((total, item) => total + item.count * (item.eachUsdPerHour ?? 0), 0);
  const nodes = sum(items.filter((item) => item.node));
  // What the cluster autoscaler may add: each GPU group from its desired to its max size.
  const autoscaledExtra = gpuNodeGroupPlans(config.gpuPools).reduce(
    (extra, group) => extra + (group.max - group.desired) * (ec2PricePerHour(target.region, group.instanceType) ?? 0),
    0,
  );
  return {
    region: target.region,
    priceDate: PRICE_TABLE_DATE,
    items,
    nodesUsdPerHour: nodes,
    peakNodesUsdPerHour: nodes + autoscaledExtra,
    totalUsdPerHour: sum(items),
    unpriced: items.filter((item) => item.eachUsdPerHour === undefined),
    usageCharges: [
      "EBS storage",
      ...(buildsSharedModelCache(config) ? ["EFS storage and Elastic throughput (per GB read and written)"] : []),
      "data transfer",
      "NLB capacity units",
    ],
  };
}

/** Cents, rounded half up (a small epsilon keeps 0.045 from rounding down in binary). */
export function usd(value: number): string {
  const cents = Math.round((value + 1e-9) * 100) / 100;
  return `$${cents.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function formatCostLines(cost: CostEstimate): string[] {
  const lines = [`on-demand list prices of ${cost.priceDate} in ${cost.region} (core/catalog/aws-prices.ts), per hour:`];
  for (const item of cost.items) {
    const unit = item.instanceType ? `${item.instanceType} @ ` : "";
    const price =
      item.eachUsdPerHour === undefined
        ? `${unit}no price in the table for ${cost.region}`
        : `${unit}$${item.eachUsdPerHour} = ${usd(item.count * item.eachUsdPerHour)}/h`;
    lines.push(`${item.what}: ${item.count} × ${price}`);
  }
  lines.push(
    `nodes ${usd(cost.nodesUsdPerHour)}/h · total ${usd(cost.totalUsdPerHour)}/h ≈ ` +
      `${usd(cost.totalUsdPerHour * HOURS_PER_MONTH)} per month of ${HOURS_PER_MONTH} h, ` +
      `before ${cost.usageCharges.slice(0, -1).join(", ")} and ${cost.usageCharges.at(-1)}`,
  );
  if (cost.peakNodesUsdPerHour > cost.nodesUsdPerHour) {
    lines.push(`with the cluster autoscaler at every GPU node group's maxNodes: nodes ${usd(cost.peakNodesUsdPerHour)}/h`);
  }
  if (cost.unpriced.length > 0) {
    lines.push(`not in the totals (no price in the table): ${cost.unpriced.map((i) => i.instanceType ?? i.what).join(", ")}`);
  }
  return lines;
}
