import { z } from "zod";
import { AWS_GPU_INSTANCES, findGpuInstance } from "../catalog/aws-instances";
import { GPU_IDS } from "../catalog/gpus";

/** Kubernetes names: RFC 1123 labels. */
export const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "use lowercase letters, digits and '-' (an RFC 1123 name)" });

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?$/, { error: "expected a Kubernetes quantity such as 100Gi" });

const toleration = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(["Equal", "Exists"]).default("Equal"),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
});

const gpuPoolFields = z.strictObject({
  name: dnsLabel,
  /** Existing clusters: the GPU model of the pool's nodes. On aws it follows from instanceType. */
  gpu: z
    .string()
    .refine((id) => GPU_IDS.some((known) => known.toLowerCase() === id.toLowerCase()), {
      error: `unknown GPU type; use one of ${GPU_IDS.join(", ")}`,
    })
    .optional(),
  /** Existing clusters: GPUs per node. On aws it follows from instanceType. */
  gpusPerNode: z.number().int().min(1).max(16).optional(),
  /** aws: EC2 instance type of the pool's node group (g6.xlarge, p5.48xlarge, …). */
  instanceType: z.string().optional(),
  nodes: z.number().int().min(1),
  /** aws: scaling bounds of the node group around `nodes` (both default to `nodes`). */
  minNodes: z.number().int().min(0).optional(),
  maxNodes: z.number().int().min(1).optional(),
  /** aws: encrypted gp3 root volume of each node: OS, the vLLM image and its unpacked layers. */
  rootVolumeGiB: z.number().int().min(50).max(2000).optional(),
  /** Labels the vLLM pods select on; the NVIDIA GPU feature discovery label is a good choice on-prem. */
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(toleration).default([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]),
});

/** Node label of the pools the kit builds on aws; the node group sets it and the vLLM pods select on it. */
export const AWS_POOL_LABEL = "aicockpit.dev/pool";

type GpuPoolFields = z.infer<typeof gpuPoolFields>;

/** A pool names its GPU either directly (gpu + gpusPerNode) or through an instance type: never both. */
function checkPoolShape(pool: GpuPoolFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (pool.instanceType !== undefined) {
    const instance = findGpuInstance(pool.instanceType);
    if (!instance) {
      const family = AWS_GPU_INSTANCES.filter((i) => i.id.startsWith(`${pool.instanceType?.split(".")[0]}.`));
      const options = (family.length > 0 ? family : AWS_GPU_INSTANCES).map((i) => i.id);
      issue("instanceType", `unknown GPU instance type "${pool.instanceType}"; use one of ${options.join(", ")}`);
    }
    for (const field of ["gpu", "gpusPerNode"] as const) {
      if (pool[field] !== undefined) {
        const derived = instance ? ` (${instance.id} has ${instance.gpus}× ${instance.gpu})` : "";
        issue(field, `${field} follows from instanceType${derived}; remove ${field} so it is not stated twice`);
      }
    }
  } else {
    if (pool.gpu === undefined) issue("gpu", "no GPU type; set gpu and gpusPerNode (existing cluster) or instanceType (aws)");
    if (pool.gpusPerNode === undefined) issue("gpusPerNode", "no GPU count; set gpusPerNode (existing cluster) or instanceType (aws)");
  }
  if (pool.minNodes !== undefined && pool.minNodes > pool.nodes) {
    issue("minNodes", `minNodes ${pool.minNodes} is above nodes ${pool.nodes}; lower minNodes to at most ${pool.nodes}`);
  }
  if (pool.maxNodes !== undefined && pool.maxNodes < pool.nodes) {
    issue("maxNodes", `maxNodes ${pool.maxNodes} is below nodes ${pool.nodes}; raise maxNodes to at least ${pool.nodes}`);
  }
}

/** Fills in the GPU type, count and node label from the instance type, so later code sees one shape. */
function withInstanceShape(pool: GpuPoolFields) {
  const instance = pool.instanceType === undefined ? undefined : findGpuInstance(pool.instanceType);
  return {
    ...pool,
    // The fallbacks are unreachable: checkPoolShape rejects a pool with neither.
    gpu: instance?.gpu ?? pool.gpu ?? "",
    gpusPerNode: instance?.gpus ?? pool.gpusPerNode ?? 0,
    nodeSelector: instance ? { [AWS_POOL_LABEL]: pool.name, ...pool.nodeSelector } : pool.nodeSelector,
  };
}

export const gpuPoolSchema = gpuPoolFields.superRefine(checkPoolShape).transform(withInstanceShape);

export const imageSchema = z.strictObject({
  repository: z.string().min(1).default("vllm/vllm-openai"),
  tag: z
    .string()
    .min(1)
    .refine((tag) => tag !== "latest", {
      error: "pin the vLLM image to a release tag such as v0.11.0; `latest` changes under a running deployment",
    }),
});

const clusterIp = z.strictObject({ type: z.literal("ClusterIP") });
const nodePort = z.strictObject({
  type: z.literal("NodePort"),
  /** Node port of the first model (30000-32767), the next models take the following ports; Kubernetes picks when absent. */
  nodePort: z.number().int().min(30000).max(32767).optional(),
  /** Address clients use to reach a node, for the base URL in the outputs. */
  host: z.string().min(1),
  /** Client CIDRs allowed to reach the node port (NetworkPolicy). */
  allowedCidrs: z.array(z.cidrv4()).min(1),
});
const loadBalancer = z.strictObject({
  type: z.literal("LoadBalancer"),
  /** internal (default) or internet-facing: nothing is public unless the file says so. */
  internal: z.boolean().default(true),
  allowedCidrs: z.array(z.cidrv4()).min(1),
  annotations: z.record(z.string(), z.string()).default({}),
});
const ingress = z.strictObject({
  type: z.literal("Ingress"),
  host: z.string().regex(/^[a-z0-9.-]+$/, { error: "expected a DNS host name such as code-ai.example.com" }),
  tlsSecret: dnsLabel,
  className: z.string().default("nginx"),
  /** Namespace of the ingress controller, the only source the NetworkPolicy admits. */
  controllerNamespace: dnsLabel.default("ingress-nginx"),
  annotations: z.record(z.string(), z.string()).default({}),
});
export const exposureSchema = z.discriminatedUnion("type", [clusterIp, nodePort, loadBalancer, ingress], {
  error: "exposure.type must be one of ClusterIP, NodePort, LoadBalancer, Ingress",
});

const secretRef = z.strictObject({ name: dnsLabel, key: z.string().min(1) });

export const authSchema = z.strictObject({
  /** `generate` keeps a random key in a Secret the kit creates; `existingSecret` uses one you manage. */
  apiKey: z
    .union([z.strictObject({ generate: z.literal(true) }), z.strictObject({ existingSecret: secretRef })])
    .default({ generate: true }),
  /** Secret with a Hugging Face token, for gated models (Llama, Codestral). */
  huggingFaceToken: secretRef.optional(),
});

export const modelCacheSchema = z.strictObject({
  size: quantity.default("100Gi"),
  storageClass: z.string().min(1).optional(),
  /** ReadWriteMany lets replicas on several nodes share one cache; it needs a storage class that supports it. */
  accessMode: z.enum(["ReadWriteOnce", "ReadWriteMany"]).default("ReadWriteOnce"),
});

export type GpuPoolConfig = z.infer<typeof gpuPoolSchema>;
export type ExposureConfig = z.infer<typeof exposureSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type SecretRef = z.infer<typeof secretRef>;
