/**
 * The model cache rule. A model's pods share its cache volume; a ReadWriteOnce volume (on aws an
 * EBS volume) attaches to one node, so a replica may not span nodes and
 * several replicas must all run on one node. The kit knows the node on aws (one instance) and
 * refuses replicas that cannot share it; on an existing cluster it warns. A ReadWriteMany cache
 * needs a class the file names: the default class is rarely a shared file system.
 */
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import { peakReplicas } from "../scale/autoscaling";
import type { ModelOnPool } from "./planning";

export interface ModelCacheFindings {
  issues: ConfigIssue[];
  warnings: string[];
}

export function modelCacheChecks(file: string, config: EnvironmentConfig, models: ModelOnPool[]): ModelCacheFindings {
  const findings: ModelCacheFindings = { issues: [], warnings: [] };
  const onAws = config.target.kind === "aws";
  if (config.target.kind === "kubernetes" && config.modelCache.accessMode === "ReadWriteMany" && !config.modelCache.storageClass) {
    findings.issues.push({
      file,
      field: "modelCache.storageClass",
      message:
        "a ReadWriteMany cache needs a storage class that provides shared volumes; a cluster's default class is usually " +
        "block storage (ReadWriteOnce only), and the claim would stay Pending, with it the warm-up Job and the apply",
      fix: "name the class, e.g. modelCache.storageClass: nfs-client (NFS, CephFS, EFS or Filestore), or use accessMode: ReadWriteOnce",
    });
  }
  // A shared cache (on aws the kit's EFS file system) mounts on every node: nothing to co-locate.
  if (config.modelCache.accessMode !== "ReadWriteOnce") return findings;
  for (const { index, config: model, pool, plan } of models) {
    const replicas = peakReplicas(model);
    const gpus = replicas * plan.gpusPerReplica;
    if (plan.nodesPerReplica > 1) {
      findings.issues.push({
        file,
        field: "modelCache.accessMode",
        message: `${model.servedName} spans ${plan.nodesPerReplica} nodes per replica, but a ReadWriteOnce cache attaches to one node`,
        // Not on aws: a replica there fits one instance (check-environment.ts refuses it otherwise).
        fix: "set modelCache.accessMode: ReadWriteMany and modelCache.storageClass to a class that supports it (e.g. NFS or CephFS)",
      });
    } else if (onAws && pool.instance && replicas > 1 && gpus > pool.instance.gpus) {
      findings.issues.push({
        file,
        field: model.autoscaling ? `models[${index}].autoscaling.maxReplicas` : `models[${index}].replicas`,
        message:
          `${replicas} replicas of ${model.servedName} need ${gpus} GPUs, more than one ${pool.instance.id} has (${pool.instance.gpus}), ` +
          `but they share one EBS model cache, which attaches to a single node`,
        fix:
          `use ${model.autoscaling ? "maxReplicas" : "replicas"}: ${Math.max(1, Math.floor(pool.instance.gpus / plan.gpusPerReplica))}, ` +
          `an instance type with at least ${gpus} GPUs so all replicas share a node, ` +
          "or modelCache.accessMode: ReadWriteMany (an EFS cache every node mounts)",
      });
    } else if (replicas > 1) {
      findings.warnings.push(
        `models[${index}] (${model.servedName}): ${replicas} replicas share a ReadWriteOnce cache, which attaches to one node, ` +
          "so they can only run on one node (a replica the scheduler puts elsewhere cannot mount it); " +
          "set modelCache.accessMode: ReadWriteMany with a modelCache.storageClass that supports it to spread them",
      );
    }
  }
  return findings;
}
