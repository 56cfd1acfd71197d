/**
 * GPU catalog. Two memory figures per GPU: what `nvidia-smi` reports (shown to users) and what
 * CUDA reports to PyTorch (`torch.cuda.mem_get_info`), a little less. vLLM budgets
 * `--gpu-memory-utilization` × the CUDA figure, so the planner uses that one.
 *
 * Sources, read 2026-11-26 (issue threads quote OOM messages, "GPU 0 has a total capacity of
 * … GiB", which print the CUDA figure, and nvidia-smi tables). Where no CUDA figure for the exact
 * GPU was found, it is the nvidia-smi figure minus 0.75 GiB, the largest gap among the GPUs with
 * both (A100 80GB: 80.00 − 79.25 GiB): that errs low.
 */
export interface GpuSpec {
  /** Catalog id used in environment files (`gpu: L4`). */
  id: string;
  description: string;
  /** Total memory as `nvidia-smi` reports it, in MiB. */
  memoryMiB: number;
  /** Total memory as CUDA reports it to vLLM, in GiB: the base of `--gpu-memory-utilization`. */
  cudaMemoryGiB: number;
  /** GPUs of one node talk over NVLink/NVSwitch (else PCIe, which slows tensor parallelism). */
  nvlink: boolean;
  /** Native FP8 tensor cores (Ada/Hopper/Blackwell); without them vLLM runs FP8 weights through slower Marlin kernels. */
  fp8: boolean;
}

/** The nvidia-smi figure minus the largest gap seen between the two figures (see the header). */
const NVIDIA_SMI_TO_CUDA_GAP_GIB = 0.75;
const cudaFromNvidiaSmi = (memoryMiB: number): number => Math.floor((memoryMiB / 1024 - NVIDIA_SMI_TO_CUDA_GAP_GIB) * 100) / 100;

export const GPU_CATALOG: readonly GpuSpec[] = [
  // No CUDA figure found for the L4: nvidia-smi minus the gap.
  { id: "L4", description: "NVIDIA L4 24 GB (Ada)", memoryMiB: 23034, cudaMemoryGiB: cudaFromNvidiaSmi(23034), nvlink: false, fp8: true },
  // The A10 (same 23,028 MiB board) reports 21.99 GiB (zai-org/CogVLM#236); the A10G itself: nvidia-smi minus the gap.
  {
    id: "A10G",
    description: "NVIDIA A10G 24 GB (Ampere)",
    memoryMiB: 23028,
    cudaMemoryGiB: cudaFromNvidiaSmi(23028),
    nvlink: false,
    fp8: false,
  },
  // nvidia-smi 24564MiB (vllm-project/vllm#7768, RLinf/RLinf#255); CUDA 23.64 GiB
  // (3DTopia/Phidias-Diffusion#8, deepseek-ai/DeepSeek-V3#205). GeForce cards have no NVLink.
  { id: "RTX4090", description: "NVIDIA GeForce RTX 4090 24 GB (Ada)", memoryMiB: 24564, cudaMemoryGiB: 23.64, nvlink: false, fp8: true },
  // vLLM 0.29.0 on an L40S logs "Free memory on device (43.97/44.39 GiB) on startup"
  // (samilazrak/vllm-optimization-lab, results/raw/awq.startup.log).
  { id: "L40S", description: "NVIDIA L40S 48 GB (Ada)", memoryMiB: 46068, cudaMemoryGiB: 44.39, nvlink: false, fp8: true },
  // With ECC on (its default) nvidia-smi shows "NVIDIA RTX 6000 Ada Gene... 46068MiB" and CUDA
  // "total capacity of 44.43 GiB" (DINGYANB/MTVCrafter#21); a PCIe workstation card, same AD102 as the L40S.
  {
    id: "RTX6000Ada",
    description: "NVIDIA RTX 6000 Ada Generation 48 GB (Ada)",
    memoryMiB: 46068,
    cudaMemoryGiB: 44.43,
    nvlink: false,
    fp8: true,
  },
  // CUDA "total capacity of 39.50 GiB" on an A100 40GB (TianheWu/CoSeR#10).
  { id: "A100-40GB", description: "NVIDIA A100 SXM 40 GB (Ampere)", memoryMiB: 40960, cudaMemoryGiB: 39.5, nvlink: true, fp8: false },
  // CUDA "total capacity of 79.25 GiB" (HiDream-ai/VAREdit#6, levihsu/OOTDiffusion#235); rows C1 and C2
  // of the calibration (0.25 and 0.5 of the budget) imply the same 79.25 GiB.
  { id: "A100-80GB", description: "NVIDIA A100 SXM 80 GB (Ampere)", memoryMiB: 81920, cudaMemoryGiB: 79.25, nvlink: true, fp8: false },
  // nvidia-smi "NVIDIA H100 80GB HBM3 … 81559MiB" (vllm-project/vllm#55169); CUDA "total capacity of
  // 79.11 GiB" (vllm-project/vllm#27508).
  { id: "H100-80GB", description: "NVIDIA H100 SXM 80 GB (Hopper)", memoryMiB: 81559, cudaMemoryGiB: 79.11, nvlink: true, fp8: true },
  // No CUDA figure found for the H200: nvidia-smi minus the gap.
  {
    id: "H200",
    description: "NVIDIA H200 SXM 141 GB (Hopper)",
    memoryMiB: 143771,
    cudaMemoryGiB: cudaFromNvidiaSmi(143771),
    nvlink: true,
    fp8: true,
  },
  // nvidia-smi "NVIDIA B200 … 183359MiB" (NVIDIA/TensorRT-LLM#10278); cudaDeviceProp "Total Global Memory:
  // 178.35 GB" and "Compute Capability: 10.0" (pytorch/ao#4002); NV18 links between the eight GPUs of an HGX
  // B200 (vllm-project/vllm#16336 topology).
  { id: "B200", description: "NVIDIA B200 180 GB (Blackwell)", memoryMiB: 183359, cudaMemoryGiB: 178.35, nvlink: true, fp8: true },
];

export function findGpu(id: string): GpuSpec | undefined {
  const wanted = id.toLowerCase();
  return GPU_CATALOG.find((gpu) => gpu.id.toLowerCase() === wanted);
}

export const GPU_IDS = GPU_CATALOG.map((gpu) => gpu.id);
