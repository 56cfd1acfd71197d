/** Issue 11 item 1: every pod the kit creates fits a node of its pool, or synth refuses it with the figures and the fix. */
import { AWS_GPU_INSTANCES, findGpuInstance } from "../../core/catalog/aws-instances";
import { eksMaxPods, eksNodeAllocatable, kubeReservedCpuMilli, kubeReservedMemoryMiB } from "../../core/aws/node-allocatable";
import { listEnvironments, loadEnvironment } from "../../core/load-environment";
import { vllmContainerRequests } from "../../core/pod-resources";
import { BASE_ENVIRONMENT } from "../helpers/synth";
import { awsYaml, issueAt, issuesOf } from "./fixtures";
import { resources, synthesizeAws, type Block } from "./synth-aws";

describe("the allocatable of an EKS node", () => {
  // Karpenter's instance-type reference lists the allocatable it computes the same way
  // (aws/karpenter-provider-aws website/content/en/docs/reference/instance-types.md @ 692ccdd0).
  it.each([
    ["g6.xlarge", 3920, 14162],
    ["g6.2xlarge", 7910, 29317],
    ["g6e.12xlarge", 47810, 360157],
    ["g5.48xlarge", 191450, 723299],
    ["p5.48xlarge", 191450, 1938410],
    ["p4d.24xlarge", 95690, 1082712],
  ])("%s offers %im CPU and %iMi memory, as Karpenter's reference lists", (id, cpuMilli, memoryMiB) => {
    expect(eksNodeAllocatable(findGpuInstance(id)!)).toEqual({ cpuMilli, memoryMiB });
  });

  it("reserves CPU and memory as nodeadm does", () => {
    // 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % beyond.
    expect(kubeReservedCpuMilli(1)).toBe(60);
    expect(kubeReservedCpuMilli(4)).toBe(80);
    expect(kubeReservedCpuMilli(8)).toBe(90);
    // 11 MiB per pod + 255 MiB, max pods from the network interfaces (4 ENIs × 14 addresses + 2).
    expect(eksMaxPods(findGpuInstance("g6.xlarge")!)).toBe(58);
    expect(kubeReservedMemoryMiB(58)).toBe(893);
  });

  it("is known for every GPU instance type of the catalog", () => {
    for (const instance of AWS_GPU_INSTANCES) {
      const allocatable = eksNodeAllocatable(instance);
      expect(allocatable.cpuMilli).toBeGreaterThan(0);
      expect(allocatable.memoryMiB).toBeGreaterThan(0);
    }
  });
});

describe("a vLLM pod that no node of its pool can hold", () => {
  it("is refused on aws with the pool, the figures and bigger instance types (dev.yaml's g6.xlarge)", () => {
    const issue = issueAt(
      awsYaml((doc) => (doc.gpuPools[0].instanceType = "g6.xlarge")),
      "gpuPools[0].instanceType",
    );
    expect(issue.message).toBe(
      "the vLLM pod of coder requests 6.1 CPU, 10.1 GiB and 1 GPU(s) (vllm 6 CPU/10 GiB + api-gateway 0.1 CPU/64 MiB), " +
        'but a g6.xlarge node of pool "l4" offers pods 3.92 CPU and 13.8 GiB, of which its DaemonSets take 0.255 CPU and 232 MiB: ' +
        "short of CPU (6.1 CPU > 3.665 CPU); the pod would stay Pending",
    );
    expect(issue.fix).toMatch(/^use a bigger instance type, e\.g\. g6\.2xlarge \(7\.655 CPU, 28\.4 GiB free\), /);
    expect(issue.fix).toContain("vLLM needs 2 × (2 + GPUs) vCPUs (its documented minimum)");
  });

  it("fits when the instance has the vCPUs and memory of its GPUs (a 4-GPU pod on a 48-vCPU instance)", () => {
    const yaml = awsYaml((doc) => {
      doc.gpuPools[0] = { name: "l4", instanceType: "g5.12xlarge", nodes: 1 };
      doc.models[0] = {
        servedName: "coder",
        model: "qwen2.5-coder-32b-instruct",
        role: "both",
        pool: "l4",
        tensorParallel: 4,
        maxModelLen: 8192,
      };
    });
    expect(issuesOf(yaml)).toEqual([]);
  });

  it("is refused on an existing cluster whose pool declares its nodes' allocatable", () => {
    const yaml = BASE_ENVIRONMENT.replace("    nodes: 2\n", "    nodes: 2\n    nodeAllocatable: { cpu: 8, memoryGiB: 30 }\n").replace(
      "    maxModelLen: 16384",
      "    maxModelLen: 16384\n    tensorParallel: 4",
    );
    const issue = issueAt(yaml, "gpuPools[0].nodeAllocatable");
    expect(issue.message).toContain("the vLLM pod of qwen-coder requests 12.1 CPU");
    expect(issue.message).toContain('but a node of pool "gpu" offers pods 8 CPU and 30 GiB');
    expect(issue.fix).toMatch(
      /^use nodes with at least 12\.2 CPU and [\d.]+ GiB allocatable \(and declare them here\), or fewer GPUs per pod/,
    );
  });

  it("is not checked for CPU and memory on an existing cluster that declares no node size", () => {
    expect(issuesOf(BASE_ENVIRONMENT)).toEqual([]);
  });

  it("is refused on aws when a node's allocatable is stated beside the instance type", () => {
    const issue = issueAt(
      awsYaml((doc) => (doc.gpuPools[0].nodeAllocatable = { cpu: 100, memoryGiB: 100 })),
      "gpuPools[0].nodeAllocatable",
    );
    expect(issue.fix).toBe("remove nodeAllocatable so it is not stated twice");
  });
});

describe("all of a pool's pods at once", () => {
  it("are refused when the pool's nodes run out of memory before they run out of GPUs", () => {
    // Four 1-GPU pods of a 7B model on one 4-GPU node that offers too little memory for all four
    // (6.1 CPU each with the gateway), beside the model's cache warm-up Job pod (1 CPU).
    const yaml = BASE_ENVIRONMENT.replace("    nodes: 2\n", "    nodes: 1\n    nodeAllocatable: { cpu: 64, memoryGiB: 30 }\n").replace(
      "    maxModelLen: 16384",
      "    maxModelLen: 16384\n    replicas: 4",
    );
    const issue = issueAt(yaml, "gpuPools[0].nodes");
    expect(issue.message).toMatch(/^the pods of pool "gpu" request 25\.4 CPU, [\d.]+ GiB and 4 GPU\(s\) in all; its 1 node\(s\)/);
    expect(issue.message).toContain("no node has room left for the vLLM pod of qwen-coder");
  });
});

describe("the cache warm-up Job's pod", () => {
  // Four 7B replicas fill the node's memory to within 2 GiB: the Job's pod (2 GiB) runs beside
  // them when a model change reruns it, so it must fit too.
  const yaml = (warmup: boolean) =>
    BASE_ENVIRONMENT.replace("    nodes: 2\n", "    nodes: 1\n    nodeAllocatable: { cpu: 64, memoryGiB: 41 }\n").replace(
      "    maxModelLen: 16384",
      `    maxModelLen: 16384\n    replicas: 4\nmodelCache: { warmup: ${warmup} }`,
    );

  it("is counted with the pool's pods, and refused by name when it does not fit beside them", () => {
    const issue = issueAt(yaml(true), "gpuPools[0].nodes");
    expect(issue.message).toContain("no node has room left for the cache warm-up Job pod of qwen-coder");
  });

  it("is not there with modelCache.warmup: false", () => {
    expect(issuesOf(yaml(false))).toEqual([]);
  });
});

describe("the vLLM pod's requests", () => {
  it("are vLLM's documented CPU minimum and host memory that leaves the weights to the page cache", () => {
    const sevenB = { gpusPerReplica: 1, nodesPerReplica: 1 };
    // 2 × (2 + 1) vCPUs; 4 GiB (server processes) + 2 GiB (worker) + 1.75 GiB (embedding at 2^18 × 3584 × 2 B) + 2 GiB /dev/shm → 10 GiB.
    expect(vllmContainerRequests(sevenB, 3584)).toEqual({ cpuMilli: 6000, memoryMiB: 10 * 1024, gpus: 1 });
    // One node's share of a 2-node replica of 8 GPUs: 4 GPUs.
    expect(vllmContainerRequests({ gpusPerReplica: 8, nodesPerReplica: 2 }, 8192).gpus).toBe(4);
  });
});

describe("the shipped environments", () => {
  const names = listEnvironments().filter((name) => loadEnvironment(name).kind === "aws");
  let synthesized: ReturnType<typeof synthesizeAws>;
  beforeAll(() => {
    synthesized = synthesizeAws(`${__dirname}/../../environments`, names);
  });

  it.each(names)("%s: every vLLM pod fits its node group's instance, as synthesized", (name) => {
    const { cluster, serving } = synthesized.get(name)!;
    const groups = Object.fromEntries(
      resources(cluster, "aws_eks_node_group").map(([, g]) => [JSON.stringify(g.labels), (g.instance_types as string[])[0]]),
    );
    for (const [, deployment] of resources(serving, "kubernetes_deployment_v1")) {
      const pod = (deployment.spec as { template: { spec: Block } }).template.spec;
      const group = Object.entries(groups).find(([labels]) =>
        Object.entries(pod.node_selector as Record<string, string>).every(
          ([k, v]) => (JSON.parse(labels) as Record<string, string>)[k] === v,
        ),
      );
      const allocatable = eksNodeAllocatable(findGpuInstance(group![1])!);
      const containers = pod.container as { resources: { requests: Record<string, string> } }[];
      const cpu = containers.reduce((sum, c) => sum + milli(c.resources.requests.cpu), 0);
      const memory = containers.reduce((sum, c) => sum + mebi(c.resources.requests.memory), 0);
      expect(cpu).toBeLessThanOrEqual(allocatable.cpuMilli);
      expect(memory).toBeLessThanOrEqual(allocatable.memoryMiB);
    }
  });
});

function milli(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

function mebi(quantity: string): number {
  return quantity.endsWith("Gi") ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
}
