/** The `monitoring:` section of an environment file: safe defaults and errors that say what to fix. */
import { monitoringSchema } from "../../core/schema/monitoring";

function errorsOf(input: unknown): string[] {
  const result = monitoringSchema.safeParse(input);
  if (result.success) throw new Error("expected the section to be rejected");
  return result.error.issues.map((i) => i.message);
}

describe("monitoring schema", () => {
  it("defaults to a private, working stack", () => {
    expect(monitoringSchema.parse({})).toEqual({
      enabled: true,
      namespace: "monitoring",
      retention: "15d",
      storage: { size: "50Gi" },
      grafana: {},
      slo: { completionTtftP95Ms: 100, availabilityPercent: 99.9 },
      dcgmExporter: { enabled: true },
      runbookBaseUrl: "docs/runbooks.md",
      alertmanager: { receivers: [], routes: {} },
    });
  });

  it("fills defaults inside a partly written section", () => {
    const parsed = monitoringSchema.parse({ grafana: { ingress: { host: "grafana.example.com", tlsSecret: "grafana-tls" } } });
    expect(parsed.grafana.ingress).toEqual({ host: "grafana.example.com", tlsSecret: "grafana-tls", annotations: {} });
    expect(parsed.prometheusIngress).toBeUndefined();
  });

  it("names the unknown key and the allowed ones", () => {
    expect(errorsOf({ retension: "15d" })).toEqual([
      expect.stringMatching(/^monitoring: unknown key\(s\) "retension"; allowed keys are: enabled, namespace, retention, /),
    ]);
    expect(errorsOf({ slo: { ttft: 100 } })[0]).toContain('monitoring.slo: unknown key(s) "ttft"; allowed keys are: completionTtftP95Ms');
  });

  it.each([
    [{ retention: "15 days" }, 'monitoring.retention must be a Prometheus duration such as "15d", "12h" or "2w"'],
    [{ storage: { size: "50GB" } }, 'monitoring.storage.size must be a size such as "50Gi" (Mi, Gi or Ti)'],
    [{ slo: { completionTtftP95Ms: 0 } }, "monitoring.slo.completionTtftP95Ms must be greater than 0"],
    [{ slo: { completionTtftP95Ms: "100ms" } }, "monitoring.slo.completionTtftP95Ms must be a number of milliseconds, e.g. 100"],
    [{ slo: { availabilityPercent: 100 } }, "monitoring.slo.availabilityPercent must be below 100: a 100 % target leaves no error budget"],
    [{ slo: { availabilityPercent: 0.999 } }, "monitoring.slo.availabilityPercent must be at least 95 (a percentage such as 99.9)"],
    [{ namespace: "Monitoring" }, "monitoring.namespace must be a Kubernetes name"],
    [
      { grafana: { ingress: { host: "https://grafana.example.com", tlsSecret: "t" } } },
      "monitoring.grafana.ingress.host must be a DNS name",
    ],
    [{ grafana: { ingress: { host: "grafana.example.com" } } }, "monitoring.grafana.ingress.tlsSecret must be a string"],
  ])("rejects %j with a message naming the field and the fix", (input, message) => {
    expect(errorsOf(input).join("\n")).toContain(message);
  });

  it("rejects an unknown receiver type and lists the known ones", () => {
    const errors = errorsOf({ alertmanager: { receivers: [{ name: "sms", type: "sms", urlSecret: { name: "s", key: "k" } }] } });
    expect(errors).toEqual(["monitoring.alertmanager.receivers[].type must be one of: webhook, slack, pagerduty"]);
  });

  it("rejects a route to an undeclared receiver, naming the declared ones", () => {
    const errors = errorsOf({
      alertmanager: {
        receivers: [{ name: "team", type: "slack", urlSecret: { name: "slack", key: "url" } }],
        routes: { critical: "oncall" },
      },
    });
    expect(errors).toEqual([
      'monitoring.alertmanager.routes.critical names the receiver "oncall", which is not declared; add it to monitoring.alertmanager.receivers (declared: team)',
    ]);
  });

  it("rejects two receivers with one name", () => {
    const receiver = { name: "team", type: "slack", urlSecret: { name: "slack", key: "url" } };
    expect(errorsOf({ alertmanager: { receivers: [receiver, receiver] } })).toEqual([
      'monitoring.alertmanager.receivers: the name "team" is used twice; give each receiver its own name',
    ]);
  });
});
