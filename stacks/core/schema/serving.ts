import { z } from "zod";
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

export const gpuPoolSchema = z.strictObject({
  name: dnsLabel,
  gpu: z.string().refine((id) => GPU_IDS.some((known) => known.toLowerCase() === id.toLowerCase()), {
    error: `unknown GPU type; use one of ${GPU_IDS.join(", ")}`,
  }),
  gpusPerNode: z.number().int().min(1).max(16),
  nodes: z.number().int().min(1),
  /** Labels the vLLM pods select on; the NVIDIA GPU feature discovery label is a good choice on-prem. */
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(toleration).default([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]),
});

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
