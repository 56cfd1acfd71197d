/**
 * GPU catalog. Memory is what `nvidia-smi` reports as total (MiB), not the
 * marketing figure: vLLM's --gpu-memory-utilization is a fraction of that total.
 */
export interface GpuSpec {
  /** Catalog id used in environment files (`gpu: L4`). */
  id: string;
  description: string;
  memoryMiB: number;
  /** GPUs of one node talk over NVLink/NVSwitch (else PCIe, which slows tensor parallelism). */
  nvlink: boolean;
  /** Native FP8 tensor cores (Ada/Hopper); without them vLLM runs FP8 weights through slower Marlin kernels. */
  fp8: boolean;
}

export const GPU_CATALOG: readonly GpuSpec[] = [
  { id: "L4", description: "NVIDIA L4 24 GB (Ada)", memoryMiB: 23034, nvlink: false, fp8: true },
  { id: "A10G", description: "NVIDIA A10G 24 GB (Ampere)", memoryMiB: 23028, nvlink: false, fp8: false },
  { id: "RTX4090", description: "NVIDIA GeForce RTX 4090 24 GB (Ada)", memoryMiB: 24564, nvlink: false, fp8: true },
  { id: "L40S", description: "NVIDIA L40S 48 GB (Ada)", memoryMiB: 46068, nvlink: false, fp8: true },
  { id: "A100-40GB", description: "NVIDIA A100 SXM 40 GB (Ampere)", memoryMiB: 40960, nvlink: true, fp8: false },
  { id: "A100-80GB", description: "NVIDIA A100 SXM 80 GB (Ampere)", memoryMiB: 81920, nvlink: true, fp8: false },
  { id: "H100-80GB", description: "NVIDIA H100 SXM 80 GB (Hopper)", memoryMiB: 81559, nvlink: true, fp8: true },
  { id: "H200", description: "NVIDIA H200 SXM 141 GB (Hopper)", memoryMiB: 143771, nvlink: true, fp8: true },
];

export function findGpu(id: string): GpuSpec | undefined {
  const wanted = id.toLowerCase();
  return GPU_CATALOG.find((gpu) => gpu.id.toLowerCase() === wanted);
}

export const GPU_IDS = GPU_CATALOG.map((gpu) => gpu.id);
