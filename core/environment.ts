/**
 * What the loader returns: an environment validated and planned, with types narrowed to its
 * target, so that nothing downstream checks again. Branch on `kind` (the target's kind,
 * lifted to the top so TypeScript narrows the whole environment on it).
 */
import type { AwsGpuInstanceType } from "./catalog/aws-instances";
import type { GpuSpec } from "./catalog/gpus";
import type { ModelSpec } from "./catalog/models";
import type { GpuPlan } from "./planning/planner";
import type { EnvironmentConfig } from "./schema";
import type { ModelConfig } from "./schema/model";
import type { GpuPoolConfig } from "./schema/serving";
import type { AwsTarget, DockerTarget, KubernetesTarget } from "./schema/target";
import type { ServingOptions } from "./validation/serving-options";

/** Pool fields that describe the node group the kit builds on aws. */
export const AWS_ONLY_POOL_FIELDS = ["instanceType", "minNodes", "maxNodes", "rootVolumeGiB", "availabilityZone"] as const;
type AwsOnlyPoolField = (typeof AWS_ONLY_POOL_FIELDS)[number];

/** A GPU pool whose GPU type and count are known, whichever way the file named them. */
export type GpuPool = Omit<GpuPoolConfig, "gpu" | "gpusPerNode" | "instanceType"> & {
  /** GPU catalog id: as the file names it, or the instance type's GPU. */
  gpu: string;
  gpusPerNode: number;
};

/** A pool of an existing cluster: its nodes are managed outside the kit, so no aws-only field is set. */
export type KubernetesGpuPool = Omit<GpuPool, AwsOnlyPoolField> & { [Field in AwsOnlyPoolField]?: undefined };

/** A pool on aws: a node group the kit builds from a GPU instance type, in one AZ or, with a shared cache, in every AZ. */
export type AwsGpuPool = Omit<GpuPool, "nodeAllocatable" | "availabilityZone"> & {
  instanceType: AwsGpuInstanceType;
  /**
   * Index of the pool's AZ in the target's zones (the node group's one private subnet); undefined:
   * every AZ, for a pool with no `availabilityZone` whose caches are on the shared (EFS) file system.
   */
  zoneIndex: number | undefined;
  nodeAllocatable?: undefined;
};

export type KubernetesEnvironmentConfig = Omit<EnvironmentConfig, "target" | "gpuPools"> & {
  target: KubernetesTarget;
  gpuPools: KubernetesGpuPool[];
};

/** The NLB's certificate: an existing ACM certificate, or one the kit requests through the Route 53 zone. */
export type AwsLoadBalancer = Omit<AwsTarget["loadBalancer"], "certificateArn" | "route53ZoneId"> &
  ({ certificateArn: string; route53ZoneId?: string } | { certificateArn?: undefined; route53ZoneId: string });

export type AwsEnvironmentConfig = Omit<EnvironmentConfig, "target" | "gpuPools"> & {
  target: Omit<AwsTarget, "loadBalancer"> & { loadBalancer: AwsLoadBalancer };
  gpuPools: AwsGpuPool[];
};

/**
 * A Docker host: its one pool describes the machine (GPU type, GPUs per node = the GPUs it has),
 * and the loader pins each model to GPU indices of its own.
 */
export type DockerEnvironmentConfig = Omit<EnvironmentConfig, "target" | "gpuPools"> & {
  target: DockerTarget;
  gpuPools: [KubernetesGpuPool];
  /** One entry per model, in the file's order: the host GPU indices its container gets (no two models share one). */
  gpuIndices: readonly (readonly number[])[];
};

/** A model with the catalog facts, the pool and GPU it runs on, and the planner's memory split. */
export interface PlannedModel<Pool extends GpuPool = GpuPool> {
  config: ModelConfig;
  spec: ModelSpec;
  pool: Pool;
  gpu: GpuSpec;
  plan: GpuPlan;
  /** Tool calling, speculative decoding and LoRA adapters, as validated against the model. */
  serving: ServingOptions;
}

interface ValidatedEnvironment<Kind extends EnvironmentConfig["target"]["kind"], Config, Pool extends GpuPool> {
  /** `config.target.kind`. */
  kind: Kind;
  name: string;
  /** Path of the file it came from, relative to the working directory when possible. */
  file: string;
  config: Config;
  /** One per model of the file, in its order. */
  models: PlannedModel<Pool>[];
  warnings: string[];
}

/** An environment on an existing cluster reached with a kubeconfig. */
export type KubernetesEnvironment = ValidatedEnvironment<"kubernetes", KubernetesEnvironmentConfig, KubernetesGpuPool>;

/** An environment on the EKS cluster the kit builds. */
export type AwsEnvironment = ValidatedEnvironment<"aws", AwsEnvironmentConfig, AwsGpuPool>;

/** An environment on one machine running Docker. */
export type DockerEnvironment = ValidatedEnvironment<"docker", DockerEnvironmentConfig, KubernetesGpuPool>;

export type Environment = KubernetesEnvironment | AwsEnvironment | DockerEnvironment;
