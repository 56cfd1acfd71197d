/**
 * The `monitoring:` section of an environment file: Prometheus, Grafana, Alertmanager and the
 * DCGM GPU exporter of one environment. Every field has a safe default, so `monitoring: {}`
 * (or no section at all) gives a private, working stack.
 */
import { z } from "zod";
import { annotations, dnsSubdomain, namespaceProblem } from "./kubernetes-names";
import { acknowledgePublicAccess, isDnsName } from "./network";

/** Error text for unknown keys that names the section and the allowed keys (the usual fix is a typo). */
function strictSection<T extends z.core.$ZodLooseShape>(section: string, shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${section}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed keys are: ${allowed}`
        : undefined,
  });
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function k8sName(field: string) {
  return z
    .string({ error: `${field} must be a string (a Kubernetes object name)` })
    .max(63, { error: `${field} must be at most 63 characters long` })
    .regex(K8S_NAME, {
      error: `${field} must be a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    });
}

const ingressFields = (field: string) => ({
  host: z
    .string({ error: `${field}.host is required (the DNS name to serve on, e.g. grafana.example.com)` })
    .refine(isDnsName, {
      error: `${field}.host must be a DNS name such as grafana.example.com (no scheme, no path)`,
    })
    .meta({ description: "DNS name to serve on (no scheme, no path).", examples: ["monitoring.example.com"] }),
  tlsSecret: k8sName(`${field}.tlsSecret`).meta({
    description: "Existing kubernetes.io/tls Secret in the monitoring namespace; the Ingress never serves plain HTTP.",
    examples: ["monitoring-tls"],
  }),
  className: dnsSubdomain(`${field}.className`)
    .optional()
    .meta({
      description: "IngressClass of your ingress controller. Absent: the cluster's default class.",
      examples: ["nginx"],
    }),
  annotations: annotations()
    .default({})
    .meta({
      description: "Annotations of the Ingress; put authentication here (e.g. the ingress controller's external-auth annotations).",
      examples: [{ "nginx.ingress.kubernetes.io/auth-url": "https://auth.example.com/oauth2/auth" }],
    }),
});

const ingressSchema = (field: string) => strictSection(field, ingressFields(field));

export const receiverTypes = ["webhook", "slack", "pagerduty"] as const;

const receiverSchema = strictSection("monitoring.alertmanager.receivers[]", {
  name: k8sName("monitoring.alertmanager.receivers[].name").meta({
    description: "Receiver name, unique; `routes` refer to it.",
    examples: ["oncall"],
  }),
  type: z
    .enum(receiverTypes, {
      error: `monitoring.alertmanager.receivers[].type must be one of: ${receiverTypes.join(", ")}`,
    })
    .meta({ description: "Where notifications go.", examples: ["pagerduty"] }),
  urlSecret: strictSection("monitoring.alertmanager.receivers[].urlSecret", {
    name: k8sName("monitoring.alertmanager.receivers[].urlSecret.name").meta({
      description: "Name of the Secret in the monitoring namespace.",
      examples: ["pagerduty"],
    }),
    key: z
      .string({ error: "monitoring.alertmanager.receivers[].urlSecret.key is required (the Secret entry holding the URL)" })
      .regex(/^[-._a-zA-Z0-9]+$/, {
        error: "monitoring.alertmanager.receivers[].urlSecret.key must be a Secret key: letters, digits, '-', '_' or '.'",
      })
      .meta({ description: "Entry of the Secret holding the URL or routing key.", examples: ["routing-key"] }),
  }).meta({
    description:
      "Existing Secret (in the monitoring namespace) whose `key` holds the webhook URL, the Slack incoming-webhook URL, or the PagerDuty Events v2 routing key. Only the name reaches Terraform.",
  }),
});

const alertmanagerSchema = strictSection("monitoring.alertmanager", {
  receivers: z.array(receiverSchema).default([]).meta({
    description: "Notification receivers. None: alerts show in Alertmanager and Grafana but notify nobody.",
  }),
  routes: strictSection("monitoring.alertmanager.routes", {
    critical: z
      .string()
      .optional()
      .meta({ description: 'Receiver of `severity="critical"` alerts.', examples: ["oncall"] }),
    warning: z
      .string()
      .optional()
      .meta({ description: 'Receiver of `severity="warning"` alerts.', examples: ["team"] }),
  })
    .prefault({})
    .meta({
      description: "Receiver name per alert severity; a severity without a route is only shown in Alertmanager's UI.",
    }),
})
  .prefault({})
  .superRefine((am, ctx) => {
    const names = am.receivers.map((r) => r.name);
    const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
    for (const name of new Set(duplicated)) {
      ctx.addIssue({
        code: "custom",
        path: ["receivers"],
        message: `monitoring.alertmanager.receivers: the name "${name}" is used twice; give each receiver its own name`,
      });
    }
    for (const [severity, receiver] of Object.entries(am.routes)) {
      if (receiver !== undefined && !names.includes(receiver)) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", severity],
          message:
            `monitoring.alertmanager.routes.${severity} names the receiver "${receiver}", which is not declared; ` +
            `add it to monitoring.alertmanager.receivers (declared: ${names.length ? names.join(", ") : "none"})`,
        });
      }
    }
  });

export const monitoringSchema = strictSection("monitoring", {
  enabled: z.boolean({ error: "monitoring.enabled must be true or false" }).default(true).meta({
    description: "`false`: no monitoring stack at all.",
  }),
  namespace: k8sName("monitoring.namespace")
    .superRefine((namespace, ctx) => {
      const problem = namespaceProblem(namespace);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: problem,
          params: { fix: "set monitoring.namespace to a namespace of its own, e.g. monitoring" },
        });
    })
    .default("monitoring")
    .meta({
      description: "Namespace of Prometheus, Alertmanager, Grafana and the DCGM exporter.",
    }),
  retention: z
    .string({ error: 'monitoring.retention must be a string such as "15d"' })
    .regex(/^[1-9][0-9]*(ms|s|m|h|d|w|y)$/, {
      error: 'monitoring.retention must be a Prometheus duration such as "15d", "12h" or "2w"',
    })
    .default("15d")
    .meta({ description: "How long Prometheus keeps samples, as a Prometheus duration." }),
  storage: strictSection("monitoring.storage", {
    size: z
      .string({ error: 'monitoring.storage.size must be a string such as "50Gi"' })
      .regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, { error: 'monitoring.storage.size must be a size such as "50Gi" (Mi, Gi or Ti)' })
      .default("50Gi")
      .meta({ description: "Size of Prometheus's volume." }),
    storageClass: dnsSubdomain("monitoring.storage.storageClass")
      .optional()
      .meta({
        description: "Storage class of Prometheus's volume. Absent: the cluster's default class.",
        examples: ["fast-ssd"],
      }),
  })
    .prefault({})
    .meta({ description: "Prometheus's persistent volume." }),
  grafana: strictSection("monitoring.grafana", {
    adminPasswordSecret: k8sName("monitoring.grafana.adminPasswordSecret")
      .optional()
      .meta({
        description:
          "Existing Secret in the monitoring namespace with entries `admin-user` and `admin-password`. Absent: a random password is generated into the Secret `grafana-admin`; it lives in Terraform state and the cluster, never in code or outputs.",
        examples: ["my-grafana-admin"],
      }),
    ingress: ingressSchema("monitoring.grafana.ingress").optional().meta({
      description: "Publishes Grafana (which asks for its login) over TLS. Absent: reachable only through `kubectl port-forward`.",
    }),
  })
    .prefault({})
    .meta({ description: "Grafana's admin login and how it is reached." }),
  prometheusIngress: strictSection("monitoring.prometheusIngress", {
    ...ingressFields("monitoring.prometheusIngress"),
    acknowledgePublicAccess,
  })
    .optional()
    .meta({
      description:
        "Publishes Prometheus over TLS. Prometheus has no authentication of its own: put it in `annotations` (ingress-nginx `auth-url` or `auth-type`), or say why it may be open in `acknowledgePublicAccess`. Absent: reachable only through `kubectl port-forward`.",
    }),
  slo: strictSection("monitoring.slo", {
    completionTtftP95Ms: z
      .number({ error: "monitoring.slo.completionTtftP95Ms must be a number of milliseconds, e.g. 100" })
      .int({ error: "monitoring.slo.completionTtftP95Ms must be a whole number of milliseconds" })
      .positive({ error: "monitoring.slo.completionTtftP95Ms must be greater than 0" })
      .default(100)
      .meta({
        description:
          "Completion models: 95 % of requests get their first token within this many milliseconds; the burn-rate alerts page when the 5 % budget of slower requests burns fast.",
      }),
    availabilityPercent: z
      .number({ error: "monitoring.slo.availabilityPercent must be a percentage, e.g. 99.9" })
      // Below 95 % the fast-burn alert (errors at 14.4 × the budget) could never fire.
      .gte(95, { error: "monitoring.slo.availabilityPercent must be at least 95 (a percentage such as 99.9)" })
      .lt(100, { error: "monitoring.slo.availabilityPercent must be below 100: a 100 % target leaves no error budget" })
      .default(99.9)
      .meta({
        description:
          "Per-model availability: the share of `/v1` requests answered without a server error (5xx), in percent. Its error budget (100 − target) drives the burn-rate alerts.",
        examples: [99.9],
      }),
  })
    .prefault({})
    .meta({ description: "The service-level objectives the alerts enforce." }),
  dcgmExporter: strictSection("monitoring.dcgmExporter", {
    enabled: z.boolean({ error: "monitoring.dcgmExporter.enabled must be true or false" }).default(true).meta({
      description: "`false` for clusters without NVIDIA GPUs (e.g. a local kind cluster): no exporter, no GPU alerts.",
    }),
  })
    .prefault({})
    .meta({ description: "NVIDIA's DCGM exporter, for GPU metrics and alerts." }),
  runbookBaseUrl: z
    .string({ error: "monitoring.runbookBaseUrl must be a URL string" })
    .min(1, { error: "monitoring.runbookBaseUrl must not be empty" })
    .refine((url) => !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^https?:\/\//i.test(url), {
      error: "monitoring.runbookBaseUrl must be an http(s) URL or a path such as docs/runbooks.md",
    })
    .refine((url) => !/\s/.test(url), { error: "monitoring.runbookBaseUrl must not contain spaces" })
    .default("docs/runbooks.md")
    .meta({
      description: "Where alert annotations link to; anchors are appended (`#vllmendpointdown`).",
      examples: ["https://git.example.com/aicockpit/blob/main/docs/runbooks.md"],
    }),
  alertmanager: alertmanagerSchema.meta({ description: "Who gets notified of which alerts." }),
});

export type MonitoringConfig = z.infer<typeof monitoringSchema>;
export type MonitoringInput = z.input<typeof monitoringSchema>;
export type AlertReceiver = MonitoringConfig["alertmanager"]["receivers"][number];
export type IngressConfig = NonNullable<MonitoringConfig["prometheusIngress"]>;
