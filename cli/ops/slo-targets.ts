/** The SLO doctor and loadtest print and measure against: the environment's, else the schema's defaults. */
import { loadEnvironment } from "../../core/load-environment";
import type { SloTargets } from "../../core/ops/load-results";
import { monitoringSchema } from "../../core/schema/monitoring";

export function sloTargets(environment: string | undefined): SloTargets {
  if (environment === undefined) {
    const slo = monitoringSchema.parse({}).slo;
    return { ...slo, source: "defaults (pass --env NAME for an environment's own)" };
  }
  const env = loadEnvironment(environment);
  return { ...env.config.monitoring.slo, source: env.file };
}
