/** The synth summary states the monitoring the environment gets, with the targets its alerts hold. */
import { loadEnvironment } from "../../core/load-environment";
import { formatEnvironmentSummary } from "../../core/summary";
import { BASE_ENVIRONMENT, environmentFrom } from "../helpers/synth";

const monitoringLine = (summary: string) => summary.split("\n").find((line) => line.trimStart().startsWith("monitoring"));

describe("the summary's monitoring line", () => {
  test("names both SLOs of the file, on a cluster", () => {
    const environment = environmentFrom(
      `${BASE_ENVIRONMENT}monitoring: { slo: { completionTtftP95Ms: 250, availabilityPercent: 99.5 } }\n`,
    );
    expect(monitoringLine(formatEnvironmentSummary(environment))).toContain("SLOs: completion TTFT p95 ≤ 250 ms, availability 99.5 %");
  });

  test("names both SLOs on a docker host, at their defaults", () => {
    const environment = loadEnvironment("workstation");
    const { slo } = environment.config.monitoring;
    expect(monitoringLine(formatEnvironmentSummary(environment))).toContain(
      `SLOs: completion TTFT p95 ≤ ${slo.completionTtftP95Ms} ms, availability ${slo.availabilityPercent} %`,
    );
  });

  test("says off when monitoring is off, with no SLO", () => {
    const environment = environmentFrom(`${BASE_ENVIRONMENT}monitoring: { enabled: false }\n`);
    expect(monitoringLine(formatEnvironmentSummary(environment))).toMatch(/monitoring\s+off$/);
  });
});
