/**
 * EC2 instance types the AWS target can build node groups from. GPU instances map to the GPU
 * catalog (`gpus.ts`), so a pool that names `instanceType: g6.xlarge` gets its GPU type and
 * count from here instead of typing them again. Shapes from the EC2 accelerated-computing
 * instance pages; vCPUs and memory are what `describe-instance-types` reports.
 */
export interface AwsInstanceType {
  id: string;
  /** GPU catalog id; absent for CPU-only types. */
  gpu?: string;
  gpus: number;
  vcpus: number;
  memoryGiB: number;
}

/** A GPU instance type: its GPU is always named. */
export interface AwsGpuInstanceType extends AwsInstanceType {
  gpu: string;
}

type Shape = [size: string, gpus: number, vcpus: number, memoryGiB: number];

/** g5 (A10G) and g6 (L4) share one size ladder; g6e (L40S) doubles the host memory. */
const G_SHAPES: Shape[] = [
  ["xlarge", 1, 4, 16],
  ["2xlarge", 1, 8, 32],
  ["4xlarge", 1, 16, 64],
  ["8xlarge", 1, 32, 128],
  ["16xlarge", 1, 64, 256],
  ["12xlarge", 4, 48, 192],
  ["24xlarge", 4, 96, 384],
  ["48xlarge", 8, 192, 768],
];

function family(name: string, gpu: string, shapes: Shape[], memoryFactor = 1): AwsGpuInstanceType[] {
  return shapes.map(([size, gpus, vcpus, memoryGiB]) => ({
    id: `${name}.${size}`,
    gpu,
    gpus,
    vcpus,
    memoryGiB: memoryGiB * memoryFactor,
  }));
}

export const AWS_GPU_INSTANCES: readonly AwsGpuInstanceType[] = [
  ...family("g5", "A10G", G_SHAPES),
  ...family("g6", "L4", G_SHAPES),
  ...family("g6e", "L40S", G_SHAPES, 2),
  { id: "p4d.24xlarge", gpu: "A100-40GB", gpus: 8, vcpus: 96, memoryGiB: 1152 },
  { id: "p4de.24xlarge", gpu: "A100-80GB", gpus: 8, vcpus: 96, memoryGiB: 1152 },
  { id: "p5.4xlarge", gpu: "H100-80GB", gpus: 1, vcpus: 16, memoryGiB: 256 },
  { id: "p5.48xlarge", gpu: "H100-80GB", gpus: 8, vcpus: 192, memoryGiB: 2048 },
  { id: "p5e.48xlarge", gpu: "H200", gpus: 8, vcpus: 192, memoryGiB: 2048 },
  { id: "p5en.48xlarge", gpu: "H200", gpus: 8, vcpus: 192, memoryGiB: 2048 },
];

/** Instance types for the system node group (CoreDNS, controllers, monitoring): no GPU. */
export const AWS_SYSTEM_INSTANCES: readonly AwsInstanceType[] = [
  { id: "t3.large", gpus: 0, vcpus: 2, memoryGiB: 8 },
  { id: "t3.xlarge", gpus: 0, vcpus: 4, memoryGiB: 16 },
  { id: "m6i.large", gpus: 0, vcpus: 2, memoryGiB: 8 },
  { id: "m6i.xlarge", gpus: 0, vcpus: 4, memoryGiB: 16 },
  { id: "m6i.2xlarge", gpus: 0, vcpus: 8, memoryGiB: 32 },
  { id: "m7i.large", gpus: 0, vcpus: 2, memoryGiB: 8 },
  { id: "m7i.xlarge", gpus: 0, vcpus: 4, memoryGiB: 16 },
  { id: "m7i.2xlarge", gpus: 0, vcpus: 8, memoryGiB: 32 },
];

export const AWS_SYSTEM_INSTANCE_IDS = AWS_SYSTEM_INSTANCES.map((i) => i.id);

export function findGpuInstance(id: string): AwsGpuInstanceType | undefined {
  return AWS_GPU_INSTANCES.find((instance) => instance.id === id.toLowerCase());
}

/** GPU instance types with a given GPU, smallest first: suggestions when a pool names a GPU instead. */
export function instancesWithGpu(gpu: string, minGpus = 1): AwsGpuInstanceType[] {
  return AWS_GPU_INSTANCES.filter((i) => i.gpu.toLowerCase() === gpu.toLowerCase() && i.gpus >= minGpus).sort(
    (a, b) => a.gpus - b.gpus || a.vcpus - b.vcpus,
  );
}
