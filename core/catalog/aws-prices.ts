/**
 * On-demand list prices, USD per hour, Linux, shared tenancy, as published on the AWS
 * "Amazon EC2 On-Demand Pricing", "Amazon EKS pricing", "Amazon VPC pricing" (NAT gateway)
 * and "Elastic Load Balancing pricing" pages in June 2025 (after that month's P4/P5 price
 * cut). Prices change: this table is for the synth summary's estimate, not a bill. Types
 * without an on-demand price (p5e is sold as Capacity Blocks) are left out on purpose; the
 * summary says so instead of guessing.
 */
export const PRICE_TABLE_DATE = "2025-06";

/** us-east-1 and us-west-2 list the same prices for every type below. */
const US_EC2: Readonly<Record<string, number>> = {
  "g5.xlarge": 1.006,
  "g5.2xlarge": 1.212,
  "g5.4xlarge": 1.624,
  "g5.8xlarge": 2.448,
  "g5.16xlarge": 4.096,
  "g5.12xlarge": 5.672,
  "g5.24xlarge": 8.144,
  "g5.48xlarge": 16.288,
  "g6.xlarge": 0.8048,
  "g6.2xlarge": 0.9776,
  "g6.4xlarge": 1.3232,
  "g6.8xlarge": 2.0144,
  "g6.16xlarge": 3.3968,
  "g6.12xlarge": 4.6016,
  "g6.24xlarge": 6.6752,
  "g6.48xlarge": 13.3504,
  "g6e.xlarge": 1.861,
  "g6e.2xlarge": 2.24208,
  "g6e.4xlarge": 3.00424,
  "g6e.8xlarge": 4.52856,
  "g6e.16xlarge": 7.57719,
  "g6e.12xlarge": 10.49264,
  "g6e.24xlarge": 15.06559,
  "g6e.48xlarge": 30.13118,
  "p4d.24xlarge": 21.96,
  "p4de.24xlarge": 27.447,
  "p5.4xlarge": 6.88,
  "p5.48xlarge": 55.04,
  "p5en.48xlarge": 63.296,
  "t3.large": 0.0832,
  "t3.xlarge": 0.1664,
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m6i.2xlarge": 0.384,
  "m7i.large": 0.1008,
  "m7i.xlarge": 0.2016,
  "m7i.2xlarge": 0.4032,
};

export const EC2_ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  "us-east-1": US_EC2,
  "us-west-2": US_EC2,
};

/** Hourly charges that do not depend on the region in the table above. */
export const EKS_CONTROL_PLANE_USD_PER_HOUR = 0.1;
export const NAT_GATEWAY_USD_PER_HOUR = 0.045;
/** The NLB's hourly charge only; capacity units (LCU) and data are billed by use. */
export const NLB_USD_PER_HOUR = 0.0225;

export function ec2PricePerHour(region: string, instanceType: string): number | undefined {
  return EC2_ON_DEMAND_USD_PER_HOUR[region]?.[instanceType];
}
