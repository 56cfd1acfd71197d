/**
 * Fields the schema accepts that would change nothing in what synth writes: a field with no
 * effect is a bug, since its writer believes it does something. Judged on the file as written
 * (defaults are not "set"), after the schema.
 */
import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../schema";
import { peakReplicas } from "../scale/autoscaling";
import { isRouted } from "../scale/routing";

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

function objectAt(data: unknown, key: string): Record<string, unknown> | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const value = (data as Record<string, unknown>)[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
