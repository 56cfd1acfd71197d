/**
 * Alertmanager's configuration for one environment: one route per severity to the receivers
 * the environment names, and the inhibition that keeps a down endpoint from also paging for
 * its latency. Receiver URLs and keys stay in Kubernetes Secrets; see ReceiverSecrets.
 */
import type { AlertReceiver, MonitoringConfig } from "../core/schema/monitoring";

type SecretRef = AlertReceiver["urlSecret"];

/** Where kube-prometheus-stack's `alertmanagerSpec.secrets` mounts each listed Secret. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";

/** Receiver for alerts no route claims (and the chart's always-firing Watchdog): notifies nobody. */
export const UNROUTED_RECEIVER = "unrouted";

/** The alert whose firing silences the `category="latency"` alerts of the same model. */
export const ENDPOINT_DOWN_ALERT = "VllmEndpointDown";
export const INHIBITED_CATEGORY = "latency";

export interface ReceiverSecrets {
  /** Path under which Alertmanager reads a Secret entry as a file (Slack, PagerDuty). */
  filePath(ref: SecretRef): string;
  /**
   * The entry's value, for the webhook URL: Alertmanager 0.25 (Debian's, which CI validates
   * with) has no webhook `url_file`. The stack passes a Terraform reference, never a literal.
   */
  value(ref: SecretRef): string;
}

export interface AlertmanagerTiming {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export const DEFAULT_TIMING: AlertmanagerTiming = { groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" };

export function mountedSecretPath(ref: SecretRef, dir: string = ALERTMANAGER_SECRETS_DIR): string {
  return `${dir}/${ref.name}/${ref.key}`;
}

/** Secrets Alertmanager must have mounted: those read as files. */
export function secretsToMount(alertmanager: MonitoringConfig["alertmanager"]): string[] {
  const names = alertmanager.receivers.filter((r) => r.type !== "webhook").map((r) => r.urlSecret.name);
  return [...new Set(names)].sort();
}

export function buildAlertmanagerConfig(
  alertmanager: MonitoringConfig["alertmanager"],
  secrets: ReceiverSecrets,
  timing: AlertmanagerTiming = DEFAULT_TIMING,
): Record<string, unknown> {
  const severityRoutes = (["critical", "warning"] as const).flatMap((severity) => {
    const receiver = alertmanager.routes[severity];
    if (receiver === undefined) return [];
    return [{ receiver, matchers: [`severity="${severity}"`], continue: false }];
  });
  return {
    route: {
      receiver: UNROUTED_RECEIVER,
      group_by: ["alertname", "namespace", "model_name"],
      group_wait: timing.groupWait,
      group_interval: timing.groupInterval,
      repeat_interval: timing.repeatInterval,
      routes: [{ receiver: UNROUTED_RECEIVER, matchers: ['alertname=~"Watchdog|InfoInhibitor"'] }, ...severityRoutes],
    },
    inhibit_rules: [
      {
        source_matchers: [`alertname="${ENDPOINT_DOWN_ALERT}"`],
        target_matchers: [`category="${INHIBITED_CATEGORY}"`],
        equal: ["namespace", "model_name"],
      },
    ],
    receivers: [{ name: UNROUTED_RECEIVER }, ...alertmanager.receivers.map((r) => receiverConfig(r, secrets))],
  };
}

function receiverConfig(receiver: AlertReceiver, secrets: ReceiverSecrets): Record<string, unknown> {
  switch (receiver.type) {
    case "webhook":
      return { name: receiver.name, webhook_configs: [{ url: secrets.value(receiver.urlSecret), send_resolved: true }] };
    case "slack":
      return {
        name: receiver.name,
        slack_configs: [
          {
            api_url_file: secrets.filePath(receiver.urlSecret),
            send_resolved: true,
            title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.model_name }}",
            text: "{{ range .Alerts }}{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}",
          },
        ],
      };
    case "pagerduty":
      return {
        name: receiver.name,
        pagerduty_configs: [
          {
            routing_key_file: secrets.filePath(receiver.urlSecret),
            send_resolved: true,
            description: "{{ .CommonAnnotations.summary }}",
            severity: '{{ if eq .CommonLabels.severity "critical" }}critical{{ else }}warning{{ end }}',
          },
        ],
      };
  }
}
