/**
 * What the kubelet of an EKS node offers pods (its allocatable CPU and memory), computed as the
 * EKS-optimized AL2023 AMI configures the kubelet. Sources, read 2026-11-26:
 * - awslabs/amazon-eks-ami `nodeadm/internal/kubelet/config.go` @ 81fec2e8 (2026-07-23):
 *   `withDefaultReservedResources` sets kubeReserved cpu = getCPUMillicoresToReserve (6 % of
 *   the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % of the rest) and memory =
 *   getMemoryMebibytesToReserve (11 MiB × maxPods + 255 MiB); no systemReserved (only its
 *   cgroup); evictionHard memory.available = 100Mi (`defaultKubeletSubConfig`).
 * - `nodeadm/internal/kubelet/eni_max_pods.go` @ 81fec2e8: maxPods = ENIs × (IPv4 per ENI − 1) + 2.
 *   An EKS managed node group may pass a lower max pods, which reserves less: this errs safe.
 * - The kubelet's capacity is the memory the kernel reports, below the EC2 figure. Karpenter
 *   estimates the gap as 7.5 % (aws/karpenter-provider-aws `charts/karpenter/values.yaml`
 *   @ 0003697d, `settings.vmMemoryOverheadPercent: 0.075`); its instance-type reference lists
 *   the allocatable this module computes (e.g. g6.xlarge: 3920m, 14162Mi).
 */
import type { AwsInstanceType } from "../catalog/aws-instances";

/** CPU and memory a node offers pods. */
export interface NodeAllocatable {
  cpuMilli: number;
  memoryMiB: number;
}

/** Share of EC2's memory figure the kernel keeps for itself (Karpenter's estimate, see above). */
export const VM_MEMORY_OVERHEAD = 0.075;
/** The AL2023 AMI's hard eviction threshold on available memory. */
export const EVICTION_HARD_MEMORY_MIB = 100;

/** Max pods as nodeadm computes it from the instance's network interfaces. */
export function eksMaxPods(instance: AwsInstanceType): number {
  return instance.enis * (instance.ipv4PerEni - 1) + 2;
}

/** nodeadm's kubeReserved CPU, in millicores: 6 %, 1 %, 0.5 % (×2) and 0.25 % per further core. */
export function kubeReservedCpuMilli(vcpus: number): number {
  const total = vcpus * 1000;
  const ranges: [from: number, to: number, basisPoints: number][] = [
    [0, 1000, 600],
    [1000, 2000, 100],
    [2000, 4000, 50],
    [4000, total, 25],
  ];
  return ranges.reduce((sum, [from, to, basisPoints]) => {
    if (total <= from) return sum;
    return sum + Math.floor(((Math.min(total, to) - from) * basisPoints) / 10000);
  }, 0);
}

/** nodeadm's kubeReserved memory, in MiB. */
export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

export function eksNodeAllocatable(instance: AwsInstanceType): NodeAllocatable {
  const capacityMiB = Math.floor(instance.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  return {
    cpuMilli: instance.vcpus * 1000 - kubeReservedCpuMilli(instance.vcpus),
    memoryMiB: capacityMiB - kubeReservedMemoryMiB(eksMaxPods(instance)) - EVICTION_HARD_MEMORY_MIB,
  };
}

/**
 * What the DaemonSets EKS and the kit run on every node request, beside the monitoring
 * exporters (core/pod-resources.ts). Read 2026-11-26:
 * - aws-node (VPC CNI): cpu 25m (aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni/values.yaml`
 *   @ b5218838, `resources.requests`);
 * - ebs-csi-node: 10m/40Mi for the driver plus 10m/32Mi for each of its two sidecars
 *   (kubernetes-sigs/aws-ebs-csi-driver `charts/aws-ebs-csi-driver/values.yaml` `node.resources`
 *   and `templates/_node.tpl` defaults @ 429e202e);
 * - the NVIDIA device plugin and node-exporter request nothing (`resources: {}` in
 *   NVIDIA/k8s-device-plugin v0.20.0 and prometheus-node-exporter 4.56.1 values), nor does
 *   efs-csi-node with a shared cache (`node.resources` and every sidecar's `resources: {}` in
 *   kubernetes-sigs/aws-efs-csi-driver `charts/aws-efs-csi-driver/values.yaml` @ a4fc6760);
 * - kube-proxy: its EKS add-on's requests were not found in a public source; 100m is budgeted.
 */
export const EKS_NODE_DAEMONSETS = { cpuMilli: 25 + 30 + 100, memoryMiB: 104, gpus: 0 } as const;
/** The GPU nodes' own DaemonSets (the device plugin) request nothing more. */
export const EKS_GPU_NODE_DAEMONSETS = EKS_NODE_DAEMONSETS;
