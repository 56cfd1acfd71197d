/** How an environment's `monitoring` section becomes the ClusterMonitoring construct's props. */
import type { ClusterMonitoringProps } from "../constructs/monitoring/cluster-monitoring";
import type { AwsEnvironment, KubernetesEnvironment } from "../core/load-environment";
import { UNSCRAPED_COMPONENTS_BY_TARGET } from "../monitoring/helm-values";

/**
 * @param servingNamespace the models' namespace: a reference orders monitoring after it where
 *   both are in one stack; the plain name where the namespace comes from a later stack.
 * @param defaultStorageClass the class Prometheus' volume claim names when the file names none:
 *   the kit's own default class on aws, which the same stack creates.
 */
export function clusterMonitoringProps(
  environment: KubernetesEnvironment | AwsEnvironment,
  servingNamespace: string,
  defaultStorageClass?: string,
): ClusterMonitoringProps {
  const { monitoring } = environment.config;
  return {
    config: {
      ...monitoring,
      storage: { ...monitoring.storage, storageClass: monitoring.storage.storageClass ?? defaultStorageClass },
    },
    servingNamespace,
    completionModels: environment.config.models.filter((m) => m.role !== "chat").map((m) => m.servedName),
    gpuPools: environment.config.gpuPools,
    unscrapedComponents: UNSCRAPED_COMPONENTS_BY_TARGET[environment.kind],
    kedaNamespace: environment.config.models.some((m) => m.autoscaling) ? environment.config.autoscaling.kedaNamespace : undefined,
  };
}
