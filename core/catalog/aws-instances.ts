/**
 * EC2 instance types the AWS target can build node groups from. GPU instances map to the GPU
 * catalog (`gpus.ts`), so a pool that names `instanceType: g6.xlarge` gets its GPU type and
 * count from here instead of typing them again.
 *
 * Sources, read 2026-11-26:
 * - vCPUs, memory (MiB) and GPU count: the instance-type reference Karpenter generates from
 *   EC2's DescribeInstanceTypes, aws/karpenter-provider-aws
 *   `website/content/en/docs/reference/instance-types.md` @ 692ccdd0 (2026-07-11), labels
 *   `karpenter.k8s.aws/instance-cpu`, `instance-memory` and `instance-gpu-count`.
 * - ENIs and IPv4 addresses per ENI, from which the EKS AMI derives max pods and so the
 *   memory it reserves for the kubelet (core/aws/node-allocatable.ts): awslabs/amazon-eks-ami
 *   `nodeadm/internal/kubelet/instance-info.jsonl` @ 81fec2e8 (2026-07-23), fields
 *   `defaultMaxENIs` and `ipv4AddressesPerInterface`.
 */
export interface AwsInstanceType {
  id: string;
  /** GPU catalog id; absent for CPU-only types. */
  gpu?: string;
  gpus: number;
  vcpus: number;
  /** Memory as EC2 lists it, in MiB. */
  memoryMiB: number;
  /** `memoryMiB` in GiB, for summaries and suggestions. */
  memoryGiB: number;
  /** ENIs on the default network card. */
  enis: number;
  /** IPv4 addresses per ENI. */
  ipv4PerEni: number;
}

/** A GPU instance type: its GPU is always named. */
export interface AwsGpuInstanceType extends AwsInstanceType {
  gpu: string;
}

type Row = [id: string, gpus: number, vcpus: number, memoryMiB: number, enis: number, ipv4PerEni: number];

function instances(gpu: string, rows: Row[]): AwsGpuInstanceType[] {
  return rows.map(([id, gpus, vcpus, memoryMiB, enis, ipv4PerEni]) => ({
    id,
    gpu,
    gpus,
    vcpus,
    memoryMiB,
    memoryGiB: memoryMiB / 1024,
    enis,
    ipv4PerEni,
  }));
}

export const AWS_GPU_INSTANCES: readonly AwsGpuInstanceType[] = [
  ...instances("A10G", [
    ["g5.xlarge", 1, 4, 16384, 4, 15],
    ["g5.2xlarge", 1, 8, 32768, 4, 15],
    ["g5.4xlarge", 1, 16, 65536, 8, 30],
    ["g5.8xlarge", 1, 32, 131072, 8, 30],
    ["g5.16xlarge", 1, 64, 262144, 8, 30],
    ["g5.12xlarge", 4, 48, 196608, 15, 50],
    ["g5.24xlarge", 4, 96, 393216, 15, 50],
    ["g5.48xlarge", 8, 192, 786432, 7, 50],
  ]),
  ...instances("L4", [
    ["g6.xlarge", 1, 4, 16384, 4, 15],
    ["g6.2xlarge", 1, 8, 32768, 4, 15],
    ["g6.4xlarge", 1, 16, 65536, 8, 30],
    ["g6.8xlarge", 1, 32, 131072, 8, 30],
    ["g6.16xlarge", 1, 64, 262144, 15, 50],
    ["g6.12xlarge", 4, 48, 196608, 8, 30],
    ["g6.24xlarge", 4, 96, 393216, 15, 50],
    ["g6.48xlarge", 8, 192, 786432, 15, 50],
  ]),
  ...instances("L40S", [
    ["g6e.xlarge", 1, 4, 32768, 4, 15],
    ["g6e.2xlarge", 1, 8, 65536, 4, 15],
    ["g6e.4xlarge", 1, 16, 131072, 8, 30],
    ["g6e.8xlarge", 1, 32, 262144, 8, 30],
    ["g6e.16xlarge", 1, 64, 524288, 15, 50],
    ["g6e.12xlarge", 4, 48, 393216, 10, 30],
    ["g6e.24xlarge", 4, 96, 786432, 10, 50],
    ["g6e.48xlarge", 8, 192, 1572864, 10, 50],
  ]),
  ...instances("A100-40GB", [["p4d.24xlarge", 8, 96, 1179648, 15, 50]]),
  ...instances("A100-80GB", [["p4de.24xlarge", 8, 96, 1179648, 15, 50]]),
  ...instances("H100-80GB", [
    ["p5.4xlarge", 1, 16, 262144, 4, 30],
    ["p5.48xlarge", 8, 192, 2097152, 2, 50],
  ]),
  ...instances("H200", [
    ["p5e.48xlarge", 8, 192, 2097152, 2, 50],
    ["p5en.48xlarge", 8, 192, 2097152, 4, 50],
  ]),
];

/** Instance types for the system node group (CoreDNS, controllers, monitoring): no GPU. */
export const AWS_SYSTEM_INSTANCES: readonly AwsInstanceType[] = (
  [
    ["t3.large", 2, 8192, 3, 12],
    ["t3.xlarge", 4, 16384, 4, 15],
    ["m6i.large", 2, 8192, 3, 10],
    ["m6i.xlarge", 4, 16384, 4, 15],
    ["m6i.2xlarge", 8, 32768, 4, 15],
    ["m7i.large", 2, 8192, 3, 10],
    ["m7i.xlarge", 4, 16384, 4, 15],
    ["m7i.2xlarge", 8, 32768, 4, 15],
  ] as const
).map(([id, vcpus, memoryMiB, enis, ipv4PerEni]) => ({ id, gpus: 0, vcpus, memoryMiB, memoryGiB: memoryMiB / 1024, enis, ipv4PerEni }));

export const AWS_SYSTEM_INSTANCE_IDS = AWS_SYSTEM_INSTANCES.map((i) => i.id);

export function findAwsSystemInstance(id: string): AwsInstanceType | undefined {
  return AWS_SYSTEM_INSTANCES.find((instance) => instance.id === id);
}

export function findGpuInstance(id: string): AwsGpuInstanceType | undefined {
  return AWS_GPU_INSTANCES.find((instance) => instance.id === id.toLowerCase());
}

/** GPU instance types with a given GPU, smallest first: suggestions when a pool names a GPU instead. */
export function instancesWithGpu(gpu: string, minGpus = 1): AwsGpuInstanceType[] {
  return AWS_GPU_INSTANCES.filter((i) => i.gpu.toLowerCase() === gpu.toLowerCase() && i.gpus >= minGpus).sort(
    (a, b) => a.gpus - b.gpus || a.vcpus - b.vcpus,
  );
}
