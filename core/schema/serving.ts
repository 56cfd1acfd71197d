import { z } from "zod";
import { EXPOSURE_TYPES, type ExposureType } from "../enums";

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

/**
 * One GPU pool as the file states it. Which fields it needs depends on the target, so the
 * loader checks its shape and resolves its GPU (core/validation/gpu-pools.ts).
 */
export const gpuPoolSchema = z.strictObject({
  name: dnsLabel,
  /** Existing clusters: the GPU model of the pool's nodes. On aws it follows from instanceType. */
  gpu: z
    .string()
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

export const imageSchema = z.strictObject({
  repository: z.string().min(1).default("vllm/vllm-openai"),
  tag: z
    .string()
    .min(1)
    .refine((tag) => tag !== "latest", {
      error: "pin the vLLM image to a release tag such as v0.11.0; `latest` changes under a running deployment",
    }),
});

/** The `type` of one exposure variant, one of EXPOSURE_TYPES. */
const exposureType = <T extends ExposureType>(type: T) => z.literal(type);

const clusterIp = z.strictObject({ type: exposureType("ClusterIP") });
const nodePort = z.strictObject({
  type: exposureType("NodePort"),
  /** Node port of the first model (30000-32767), the next models take the following ports; Kubernetes picks when absent. */
  nodePort: z.number().int().min(30000).max(32767).optional(),
  /** Address clients use to reach a node, for the base URL in the outputs. */
  host: z.string().min(1),
  /** Client CIDRs allowed to reach the node port (NetworkPolicy). */
  allowedCidrs: z.array(z.cidrv4()).min(1),
});
const loadBalancer = z.strictObject({
  type: exposureType("LoadBalancer"),
  /** internal (default) or internet-facing: nothing is public unless the file says so. */
  internal: z.boolean().default(true),
  allowedCidrs: z.array(z.cidrv4()).min(1),
  annotations: z.record(z.string(), z.string()).default({}),
});
const ingress = z.strictObject({
  type: exposureType("Ingress"),
  host: z.string().regex(/^[a-z0-9.-]+$/, { error: "expected a DNS host name such as code-ai.example.com" }),
  tlsSecret: dnsLabel,
  className: z.string().default("nginx"),
  /** Namespace of the ingress controller, the only source the NetworkPolicy admits. */
  controllerNamespace: dnsLabel.default("ingress-nginx"),
  annotations: z.record(z.string(), z.string()).default({}),
});
export const exposureSchema = z.discriminatedUnion("type", [clusterIp, nodePort, loadBalancer, ingress], {
  error: `exposure.type must be one of ${EXPOSURE_TYPES.join(", ")}`,
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

/** A pool as the file states it; the loader narrows it per target (core/environment.ts). */
export type GpuPoolConfig = z.infer<typeof gpuPoolSchema>;
export type ExposureConfig = z.infer<typeof exposureSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type SecretRef = z.infer<typeof secretRef>;

// Every exposure type has its variant in exposureSchema (exposureType keeps out any other).
true satisfies (ExposureType extends ExposureConfig["type"] ? true : false);
