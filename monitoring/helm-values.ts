/**
 * Helm values of the two charts the monitoring stack installs, as plain data: the
 * kube-prometheus-stack release (Prometheus, Alertmanager, Grafana, kube-state-metrics, the
 * vLLM PodMonitor and AiCockpit's PrometheusRules) and the NVIDIA DCGM exporter.
 */
import type { IngressConfig, MonitoringConfig } from "../core/schema/monitoring";
import { ROUTER_POD_SELECTOR } from "../core/scale/routing";
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

/**
 * Pod labels of the monitoring components, as the pinned charts set them
 * (kube-prometheus-stack 79.7.1: prometheus/service.yaml, alertmanager/service.yaml,
 * prometheus-operator/deployment.yaml, admission-webhooks/job-patch/*; grafana 10.2.0 and
 * kube-state-metrics 6.4.1 `app.kubernetes.io/name`; dcgm-exporter 4.8.1). The monitoring
 * NetworkPolicies select on them. Re-read when the pins moved (2026-11-26): the operator and
 * admission-job labels and the ports below are unchanged at kube-prometheus-stack 88.5.3
 * (`templates/prometheus-operator/deployment.yaml`, `admission-webhooks/job-patch/*`,
 * values `prometheusOperator.tls.internalPort`, `reloaderWebPort`), grafana 12.11.1 (service
 * targetPort 3000), kube-state-metrics 8.4.0 (8080) and prometheus-node-exporter 4.56.1 (9100).
 */
export const MONITORING_PODS = {
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  alertmanager: { "app.kubernetes.io/name": "alertmanager" },
  grafana: { "app.kubernetes.io/name": "grafana" },
  kubeStateMetrics: { "app.kubernetes.io/name": "kube-state-metrics" },
  operator: { app: "kube-prometheus-stack-operator" },
  admissionCreate: { app: "kube-prometheus-stack-admission-create" },
  admissionPatch: { app: "kube-prometheus-stack-admission-patch" },
  dcgmExporter: { "app.kubernetes.io/name": "dcgm-exporter" },
} as const;

/** The kube-prometheus-stack release's name: it names the chart's Services. */
export const KUBE_PROMETHEUS_STACK_RELEASE = "kube-prometheus-stack";

/**
 * Prometheus's in-cluster URL. The chart names its Service `<fullname>-prometheus`, where the
 * fullname is the release name when that contains the chart's name (truncated to 26
 * characters), on `prometheus.service.port` 9090: `templates/prometheus/service.yaml` and
 * `_helpers.tpl` @ kube-prometheus-stack-88.5.3, read 2026-11-26.
 */
export function prometheusServiceUrl(monitoringNamespace: string): string {
  return `http://${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus.${monitoringNamespace}.svc:${MONITORING_PORTS.prometheus}`;
}

/** Ports the monitoring components listen on (the pinned charts' defaults). */
export const MONITORING_PORTS = {
  prometheus: 9090,
  /** prometheus-operator's config-reloader sidecars (Prometheus, Alertmanager). */
  configReloader: 8080,
  alertmanager: 9093,
  /** Alertmanager's cluster gossip (TCP and UDP). */
  alertmanagerCluster: 9094,
  grafana: 3000,
  kubeStateMetrics: 8080,
  kubeStateMetricsTelemetry: 8081,
  /** prometheusOperator.tls.internalPort: its admission webhook and metrics (TLS). */
  operator: 10250,
  nodeExporter: 9100,
  dcgmExporter: 9400,
} as const;

/**
 * The namespace of the two host agents, node-exporter and the DCGM exporter: they need the
 * node's network, PID namespace or host paths, which only the `privileged` Pod Security level
 * allows. Keeping them apart lets the monitoring namespace itself enforce `restricted`.
 */
export function hostAgentsNamespace(monitoringNamespace: string): string {
  const suffix = "-host-agents";
  return `${monitoringNamespace.slice(0, 63 - suffix.length).replace(/-+$/, "")}${suffix}`;
}

/** The restricted Pod Security Standard for a pod running as `uid` (kubernetes.io/docs/concepts/security/pod-security-standards). */
function restrictedPod(uid: number, group = uid): Record<string, unknown> {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: group, fsGroup: group, seccompProfile: { type: "RuntimeDefault" } };
}

/** The restricted standard for a container; `readOnlyRootFilesystem` where the image is known to allow it. */
function restrictedContainer(readOnlyRootFilesystem: boolean): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export interface KubePrometheusStackInput {
  config: MonitoringConfig;
  /** Where node-exporter runs (hostAgentsNamespace). */
  hostAgentsNamespace: string;
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
        // The chart's defaults, stated so the policy tests see them; the operator sets the
        // containers' own contexts. Prometheus keeps its token: service discovery reads the API.
        securityContext: restrictedPod(1000, 2000),
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
      additionalPodMonitors: [vllmPodMonitor(input.servingNamespace), routerPodMonitor(input.servingNamespace)],
    },
    additionalPrometheusRulesMap: Object.fromEntries(
      input.rules.map((file) => [file.fileName.replace(/\.rules\.yaml$/, ""), { groups: file.groups }]),
    ),
    alertmanager: {
      service: { type: "ClusterIP" },
      config: input.alertmanagerConfig,
      // Alertmanager never calls the Kubernetes API: no token in its pod.
      serviceAccount: { automountServiceAccountToken: false },
      alertmanagerSpec: {
        secrets: [...input.alertmanagerSecrets],
        securityContext: restrictedPod(1000, 2000),
        automountServiceAccountToken: false,
      },
    },
    prometheusOperator: {
      securityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(true),
      admissionWebhooks: {
        patch: { securityContext: restrictedPod(2000) },
        createSecretJob: { securityContext: restrictedContainer(true) },
        patchWebhookJob: { securityContext: restrictedContainer(true) },
      },
    },
    "kube-state-metrics": {
      securityContext: { enabled: true, ...restrictedPod(65534) },
      containerSecurityContext: restrictedContainer(true),
    },
    "prometheus-node-exporter": {
      // Host network, host PID and the node's root filesystem (read-only) are what it measures:
      // it runs in the host-agents namespace, the one kit namespace that allows them.
      namespaceOverride: input.hostAgentsNamespace,
      securityContext: restrictedPod(65534),
      containerSecurityContext: restrictedContainer(true),
      serviceAccount: { automountServiceAccountToken: false },
    },
    grafana: {
      admin: {
        existingSecret: input.grafanaAdminSecret,
        userKey: GRAFANA_ADMIN_USER_KEY,
        passwordKey: GRAFANA_ADMIN_PASSWORD_KEY,
      },
      service: { type: "ClusterIP" },
      ingress: ingressValues(config.grafana.ingress, "path"),
      // Grafana keeps its token: the dashboard sidecar watches ConfigMaps through the API.
      securityContext: restrictedPod(472),
      containerSecurityContext: restrictedContainer(false),
      // A chown init container runs as root (persistence is off, so it never runs; off to be sure),
      // and the test pod of `helm test` sets no security context.
      initChownData: { enabled: false },
      testFramework: { enabled: false },
      // Nothing phones home: no update checks, no usage reports (grafana 10.2.0 values `grafana.ini`).
      "grafana.ini": { analytics: { check_for_updates: false, check_for_plugin_updates: false, reporting_enabled: false } },
      sidecar: {
        securityContext: restrictedContainer(true),
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

/**
 * Scrapes each model's router on its metrics port. `job` is "vllm-router" (its pods' name
 * label) and `model_name` the model it routes for, so router series stay apart from vLLM's
 * (which also differ by name: `vllm_router_*` against `vllm:*`).
 */
export function routerPodMonitor(servingNamespace: string): Record<string, unknown> {
  return {
    name: "aicockpit-vllm-router",
    jobLabel: "app.kubernetes.io/name",
    namespaceSelector: { matchNames: [servingNamespace] },
    selector: { matchLabels: ROUTER_POD_SELECTOR },
    podMetricsEndpoints: [
      {
        port: "metrics",
        path: "/metrics",
        interval: "15s",
        relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_aicockpit_dev_model"], targetLabel: "model_name", action: "replace" }],
      },
    ],
  };
}

export interface GpuNodePlacement {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: string; value?: string; effect?: string }[];
}

/**
 * The GPU fields the exporter collects: those the kit's rules and dashboards read, and a few for
 * troubleshooting. No DCGM_FI_PROF_* field: profiling metrics are what need SYS_ADMIN (chart
 * 4.8.1 values.yaml, `securityContext`), so the exporter runs with no capability at all.
 */
export const DCGM_COUNTERS = [
  "DCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %).",
  "DCGM_FI_DEV_MEM_COPY_UTIL, gauge, Memory utilization (in %).",
  "DCGM_FI_DEV_FB_FREE, gauge, Framebuffer memory free (in MiB).",
  "DCGM_FI_DEV_FB_USED, gauge, Framebuffer memory used (in MiB).",
  "DCGM_FI_DEV_GPU_TEMP, gauge, GPU temperature (in C).",
  "DCGM_FI_DEV_POWER_USAGE, gauge, Power draw (in W).",
  "DCGM_FI_DEV_SM_CLOCK, gauge, SM clock frequency (in MHz).",
  "DCGM_FI_DEV_XID_ERRORS, gauge, Value of the last XID error encountered.",
  "DCGM_FI_DEV_PCIE_REPLAY_COUNTER, counter, Total number of PCIe retries.",
] as const;

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
    customMetrics: DCGM_COUNTERS.join("\n"),
    // Root without capabilities: it maps GPUs to pods through the kubelet's pod-resources
    // socket, a root-owned socket on a host path (chart 4.8.1 daemonset.yaml), and a failed
    // connection fails the scrape (internal/pkg/transformation/kubernetes.go, Process). The
    // host path is why it lives in the privileged host-agents namespace.
    podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
    securityContext: {
      runAsNonRoot: false,
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    // Pod labels in metrics would need a cluster-wide pod read and the API token; the kit's
    // rules join on the GPU and node instead.
    kubernetes: { enablePodLabels: false, enablePodUID: false },
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
