/**
 * Fields the schema accepts that would change nothing in what synth writes: a field with no
 * effect is a bug, since its writer believes it does something. Judged on the file as written
 * (defaults are not "set"), after the schema.
 */
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import { peakReplicas } from "../scale/autoscaling";
import { isRouted } from "../scale/routing";
import { arrayAt, isSet, objectAt } from "./raw-fields";

export function fieldsWithoutEffect(file: string, raw: unknown, config: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const monitoring = objectAt(raw, "monitoring");
  if (!config.monitoring.enabled && monitoring) {
    for (const key of Object.keys(monitoring).filter((key) => key !== "enabled")) {
      issues.push({
        file,
        field: `monitoring.${key}`,
        message: "has no effect: monitoring.enabled is false, so no monitoring stack is deployed",
        fix: `remove monitoring.${key}, or set monitoring.enabled: true`,
      });
    }
  }
  config.gpuPools.forEach((pool, index) => {
    if (!config.models.some((model) => model.pool === pool.name)) {
      issues.push({
        file,
        field: `gpuPools[${index}].name`,
        message:
          config.target.kind === "aws"
            ? `no model runs on pool "${pool.name}": the kit would build GPU nodes that sit idle`
            : `no model runs on pool "${pool.name}", so it has no effect`,
        fix: `remove the pool, or set a model's pool: ${pool.name}`,
      });
    }
  });
  if (config.target.kind === "docker") issues.push(...dockerFieldsWithoutEffect(file, raw, config));
  config.models.forEach((model, index) => {
    if (model.router && !isRouted(model)) {
      issues.push({
        file,
        field: `models[${index}].router`,
        message: `has no effect: ${model.servedName} has ${peakReplicas(model)} replica(s) at most, so there is nothing to route between`,
        fix: "remove router, or raise replicas (or autoscaling.maxReplicas) above 1",
      });
    }
  });
  return issues;
}

/**
 * Fields that configure Kubernetes objects a docker target does not create, or containers it does
 * not run. Those docker-target.ts refuses because they would need what docker lacks (a Secret,
 * an Ingress, aws node groups, replicas, exposure other than ClusterIP) are left to it.
 */
function dockerFieldsWithoutEffect(file: string, raw: unknown, config: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const noEffect = (field: string, why: string, fix = `remove ${field}`) =>
    issues.push({ file, field, message: `has no effect on a docker target: ${why}`, fix });
  if (isSet(raw, ["namespace"]))
    noEffect("namespace", "it names the Kubernetes namespace; a docker target's containers are named aicockpit-<environment>-…");
  if (isSet(raw, ["exposure"]) && config.exposure.type === "ClusterIP")
    noEffect("exposure", "it configures Kubernetes Services; the gateway is published on target.bindAddress:target.ports.gateway");
  if (isSet(raw, ["auth", "apiKey"]) && "generate" in config.auth.apiKey)
    noEffect("auth.apiKey", "nothing is generated; the key is the file target.apiKeyFile on the host");
  for (const key of Object.keys(objectAt(raw, "modelCache") ?? {}))
    noEffect(
      `modelCache.${key}`,
      key === "warmup"
        ? "the warm-up Job runs on kubernetes and aws; a docker model downloads on its first start"
        : "the Hugging Face cache is one named Docker volume, which has no size, storage class or access mode",
    );
  arrayAt(raw, "gpuPools").forEach((pool, index) => {
    for (const [field, why] of Object.entries(KUBERNETES_ONLY_POOL_FIELDS))
      if (isSet(pool, [field])) noEffect(`gpuPools[${index}].${field}`, why);
  });
  const monitoring = config.monitoring;
  if (monitoring.enabled) {
    if (isSet(raw, ["monitoring", "namespace"]))
      noEffect("monitoring.namespace", "it names a Kubernetes namespace; the monitoring containers are named aicockpit-<environment>-…");
    if (isSet(raw, ["monitoring", "storage"]))
      noEffect("monitoring.storage", "Prometheus keeps its data in a named Docker volume, which has no size or storage class");
    if (isSet(raw, ["monitoring", "grafana", "adminPasswordSecret"]))
      noEffect("monitoring.grafana.adminPasswordSecret", "Grafana's admin password is the API key file, target.apiKeyFile");
    if (isSet(raw, ["monitoring", "grafana", "ingress"]))
      noEffect(
        "monitoring.grafana.ingress",
        "a docker target has no Ingress; Grafana is published on target.bindAddress:target.ports.grafana",
      );
  } else {
    for (const port of ["prometheus", "alertmanager", "grafana"])
      if (isSet(raw, ["target", "ports", port]))
        noEffect(
          `target.ports.${port}`,
          "monitoring.enabled is false, so nothing is published there",
          `remove target.ports.${port}, or set monitoring.enabled: true`,
        );
  }
  return issues;
}

/** Pool fields that place or check Kubernetes pods; a docker target runs containers on one machine. */
const KUBERNETES_ONLY_POOL_FIELDS = {
  nodeSelector: "containers are not scheduled: they run on the machine target.host reaches",
  tolerations: "containers are not scheduled: they run on the machine target.host reaches",
  nodeAllocatable: "it checks Kubernetes pods' CPU and memory requests; the docker containers request none",
} as const;
