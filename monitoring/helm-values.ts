/**
 * Helm values of the two charts the monitoring stack installs, as plain data: the
 * kube-prometheus-stack release (Prometheus, Alertmanager, Grafana, kube-state-metrics, the
 * vLLM PodMonitor and AiCockpit's PrometheusRules) and the NVIDIA DCGM exporter.
 */
import type { IngressConfig, MonitoringConfig } from "../core/schema/monitoring";
import type { RuleFile } from "./render-rules";

/** Selects every vLLM pod of the kit (labels set by the serving constructs). */
export const VLLM_POD_SELECTOR = { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/part-of": "aicockpit" };

/** Secret keys the Grafana chart reads the admin login from. */
export const GRAFANA_ADMIN_USER_KEY = "admin-user";
export const GRAFANA_ADMIN_PASSWORD_KEY = "admin-password";

/** Grafana's sidecar loads every ConfigMap with this label as dashboards. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" };

/**
 * kube-prometheus-stack's control-plane exporters, by their values key. Each `<key>.enabled:
 * false` removes the component's Service, Endpoints, ServiceMonitor and its alert and
 * recording rules (kube-prometheus-stack 88.5.3 `values.yaml` lines 2025, 2326, 2440, 2579 and
 * `templates/prometheus/rules-1.14/*`, both gated on the flag; read 2026-11-26).
 */
export const CONTROL_PLANE_COMPONENTS = ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"] as const;
export type ControlPlaneComponent = (typeof CONTROL_PLANE_COMPONENTS)[number];

/**
 * What each target lets Prometheus scrape, by default. EKS runs the controller manager,
 * scheduler and etcd out of the cluster's reach, and its kube-proxy add-on serves metrics on
 * the node's loopback only: scraping them fails forever and KubeControllerManagerDown,
 * KubeSchedulerDown and KubeProxyDown never stop firing. An existing cluster exposes them.
 */
export const UNSCRAPED_COMPONENTS_BY_TARGET: Readonly<Record<"aws" | "kubernetes", readonly ControlPlaneComponent[]>> = {
  aws: CONTROL_PLANE_COMPONENTS,
  kubernetes: [],
};

export interface KubePrometheusStackInput {
  config: MonitoringConfig;
  servingNamespace: string;
  grafanaAdminSecret: string;
  rules: readonly RuleFile[];
  alertmanagerConfig: Record<string, unknown>;
  alertmanagerSecrets: readonly string[];
  /** Control-plane components the cluster does not expose: turned off (see UNSCRAPED_COMPONENTS_BY_TARGET). */
  unscrapedComponents: readonly ControlPlaneComponent[];
}

export function kubePrometheusStackValues(input: KubePrometheusStackInput): Record<string, unknown> {
  const { config } = input;
  return {
    ...Object.fromEntries(input.unscrapedComponents.map((component) => [component, { enabled: false }])),
    prometheus: {
      service: { type: "ClusterIP" },
      ingress: ingressValues(config.prometheusIngress, "paths"),
      prometheusSpec: {
        retention: config.retention,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              ...(config.storage.storageClass ? { storageClassName: config.storage.storageClass } : {}),
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: config.storage.size } },
            },
          },
        },
        // Select AiCockpit's rules and monitors (and the DCGM ServiceMonitor) without release labels.
        ruleSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelectorNilUsesHelmValues: false,
      },
      additionalPodMonitors: [vllmPodMonitor(input.servingNamespace)],
    },
    additionalPrometheusRulesMap: Object.fromEntries(
      input.rules.map((file) => [file.fileName.replace(/\.rules\.yaml$/, ""), { groups: file.groups }]),
    ),
    alertmanager: {
      service: { type: "ClusterIP" },
      config: input.alertmanagerConfig,
      alertmanagerSpec: { secrets: [...input.alertmanagerSecrets] },
    },
    grafana: {
      admin: {
        existingSecret: input.grafanaAdminSecret,
        userKey: GRAFANA_ADMIN_USER_KEY,
        passwordKey: GRAFANA_ADMIN_PASSWORD_KEY,
      },
      service: { type: "ClusterIP" },
      ingress: ingressValues(config.grafana.ingress, "path"),
      sidecar: {
        dashboards: {
          enabled: true,
          label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0],
          labelValue: Object.values(GRAFANA_DASHBOARD_LABEL)[0],
        },
      },
    },
  };
}

/**
 * Scrapes vLLM's own port (`http`, 8000) — the gateway port serves only the API. `job` is
 * "vllm" (from the pod's name label) and `model_name` comes from the pod label, so `up` carries
 * the model; honorLabels keeps vLLM's identical `model_name` instead of an `exported_` copy.
 */
export function vllmPodMonitor(servingNamespace: string): Record<string, unknown> {
  return {
    name: "aicockpit-vllm",
    jobLabel: "app.kubernetes.io/name",
    namespaceSelector: { matchNames: [servingNamespace] },
    selector: { matchLabels: VLLM_POD_SELECTOR },
    podMetricsEndpoints: [
      {
        port: "http",
        path: "/metrics",
        interval: "15s",
        honorLabels: true,
        relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_aicockpit_dev_model"], targetLabel: "model_name", action: "replace" }],
      },
    ],
  };
}

export interface GpuNodePlacement {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: string; value?: string; effect?: string }[];
}

/** The exporter runs on the GPU pools' nodes only (a node without a GPU would crash-loop it). */
export function dcgmExporterValues(pools: readonly GpuNodePlacement[]): Record<string, unknown> {
  const selectors = pools.map((p) => p.nodeSelector).filter((s) => Object.keys(s).length > 0);
  const everyPoolSelected = selectors.length === pools.length && pools.length > 0;
  const tolerations = uniqueByJson(pools.flatMap((p) => p.tolerations));
  return {
    // dcgm-exporter 4.8.3 renders scrapeTimeout always, with a default of 25s; above the 15s
    // interval, prometheus-operator rejects the ServiceMonitor (deployment/values.yaml and
    // templates/service-monitor.yaml @ 7ad58324, 2026-07-14). Kept below the interval.
    serviceMonitor: { enabled: true, interval: "15s", scrapeTimeout: "10s", honorLabels: false },
    tolerations,
    ...(everyPoolSelected
      ? {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: selectors.map((s) => ({
                  matchExpressions: Object.entries(s).map(([key, value]) => ({ key, operator: "In", values: [value] })),
                })),
              },
            },
          },
        }
      : {}),
  };
}

function ingressValues(ingress: IngressConfig | undefined, pathField: "path" | "paths"): Record<string, unknown> {
  if (!ingress) return { enabled: false };
  return {
    enabled: true,
    ...(ingress.className ? { ingressClassName: ingress.className } : {}),
    annotations: ingress.annotations,
    hosts: [ingress.host],
    ...(pathField === "path" ? { path: "/" } : { paths: ["/"] }),
    tls: [{ secretName: ingress.tlsSecret, hosts: [ingress.host] }],
  };
}

function uniqueByJson<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
