import { z } from "zod";

/** An existing cluster reached with a kubeconfig (on-prem, kind, k3s, any managed cluster). */
export const kubernetesTargetSchema = z.strictObject({
  kind: z.literal("kubernetes"),
  /** Path to the kubeconfig; `~` is expanded at deploy time by the Kubernetes provider. */
  kubeconfig: z.string().min(1).default("~/.kube/config"),
  /** kubeconfig context to deploy to. Required: deploying to "whatever is current" is how clusters get clobbered. */
  context: z.string({ error: "set the kubeconfig context to deploy to (see `kubectl config get-contexts`)" }).min(1),
});

/** Amazon EKS, built by the kit (VPC, cluster, GPU node groups). */
export const awsTargetSchema = z.strictObject({
  kind: z.literal("aws"),
  region: z
    .string({ error: "set the AWS region, e.g. region: us-east-1" })
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "expected an AWS region such as us-east-1" }),
  availabilityZones: z.array(z.string().min(1)).min(1).optional(),
  production: z.boolean().default(false),
});

export const targetSchema = z.discriminatedUnion("kind", [kubernetesTargetSchema, awsTargetSchema], {
  error: "target.kind must be `kubernetes` (existing cluster) or `aws` (EKS built by the kit)",
});

export type KubernetesTarget = z.infer<typeof kubernetesTargetSchema>;
export type AwsTarget = z.infer<typeof awsTargetSchema>;
export type Target = z.infer<typeof targetSchema>;
