/** Names of what the AWS target creates, derived from the environment name. */
import { modelResourceName, stackName } from "../names";
import { installsKeda } from "../scale/autoscaling";

/** The EKS cluster shares the serving stack's name: `aicockpit-dev`. */
export function eksClusterName(environment: string): string {
  return stackName(environment);
}

/** The stack with the VPC, the cluster, its node groups and IAM: `aicockpit-dev-cluster`. */
export function clusterStackName(environment: string): string {
  return `${stackName(environment)}-cluster`;
}

/** The stack with what the cluster runs for every model (charts, StorageClass): `aicockpit-dev-services`. */
export function clusterServicesStackName(environment: string): string {
  return `${stackName(environment)}-services`;
}

/** DNS name a model is served at: `aicockpit-qwen2-5-coder-7b.ai.example.com`. */
export function modelHost(domain: string, servedName: string): string {
  return `${modelResourceName(servedName)}.${domain}`;
}

export function modelBaseUrl(domain: string, servedName: string): string {
  return `https://${modelHost(domain, servedName)}/v1`;
}

/** The stacks `cdktf deploy` must be given for an environment, in deploy order. */
export function deployStackNames(environment: {
  name: string;
  config: Parameters<typeof installsKeda>[0] & { target: { kind: string } };
}): string[] {
  const serving = stackName(environment.name);
  if (environment.config.target.kind === "aws")
    return [clusterStackName(environment.name), clusterServicesStackName(environment.name), serving];
  // An existing cluster's KEDA comes first: the serving stack's ScaledObjects need its CRDs.
  return environment.config.target.kind === "kubernetes" && installsKeda(environment.config)
    ? [kedaStackName(environment.name), serving]
    : [serving];
}

/** The stack of an existing cluster's KEDA release: `aicockpit-dev-keda`. */
export function kedaStackName(environment: string): string {
  return `${stackName(environment)}-keda`;
}

/** The StorageClass of the shared (EFS) model cache the kit builds on aws. */
export const SHARED_MODEL_CACHE_STORAGE_CLASS = "aicockpit-efs";

/**
 * Whether the kit builds the shared model cache on aws: an EFS file system, its CSI driver and
 * StorageClass, for `modelCache.accessMode: ReadWriteMany` with no `storageClass` of the file's own.
 */
export function buildsSharedModelCache(config: {
  target: { kind: string };
  modelCache: { accessMode: string; storageClass?: string };
}): boolean {
  return config.target.kind === "aws" && config.modelCache.accessMode === "ReadWriteMany" && config.modelCache.storageClass === undefined;
}

/** The class the model-cache claims name: the file's, the kit's EFS class, or none (the cluster's default). */
export function modelCacheStorageClass(config: Parameters<typeof buildsSharedModelCache>[0]): string | undefined {
  return buildsSharedModelCache(config) ? SHARED_MODEL_CACHE_STORAGE_CLASS : config.modelCache.storageClass;
}
