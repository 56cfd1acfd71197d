/**
 * Issue 11 item 4: the values keys the kit sets on each chart it installs, and the chart version
 * each list was checked against in the chart's own values.yaml (a key the chart does not read is
 * a silent failure). Bumping a pin, or setting a new key, fails this test until the list is
 * re-checked against the chart at that version and updated.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import {
  CLUSTER_AUTOSCALER_CHART,
  DCGM_EXPORTER_CHART,
  KEDA_CHART,
  KUBE_PROMETHEUS_STACK_CHART,
  LOAD_BALANCER_CONTROLLER_CHART,
  NVIDIA_DEVICE_PLUGIN_CHART,
  type ChartPin,
} from "../../core/pins";
import { synthesize } from "../../stacks/synthesize";
import { BASE_ENVIRONMENT } from "../helpers/synth";
import { AWS_ENVIRONMENT, awsYaml } from "./fixtures";

interface CheckedKeys {
  pin: ChartPin;
  /** The chart version the keys were read against, and where. */
  checkedAt: string;
  source: string;
  /** Dotted paths; a key whose value is a Kubernetes object, a list or user data is one entry. */
  keys: string[];
}

/**
 * Keys whose values are not chart keys below them: Kubernetes objects (affinity, security
 * contexts, a volume claim template), Alertmanager's and Grafana's own configuration, user-named maps.
 */
const OPAQUE = [
  "affinity",
  "additionalPrometheusRulesMap",
  "alertmanager.config",
  "grafana.grafana.ini",
  "prometheus.prometheusSpec.storageSpec",
  "serviceAccount.annotations",
  "rbac.serviceAccount.annotations",
  "prometheus.ingress.annotations",
  "grafana.ingress.annotations",
];
const OPAQUE_LAST = ["securityContext", "containerSecurityContext", "podSecurityContext"];

const CHECKED: CheckedKeys[] = [
  {
    pin: LOAD_BALANCER_CONTROLLER_CHART,
    checkedAt: "3.5.0",
    source: "aws/eks-charts stable/aws-load-balancer-controller/values.yaml @ 5239609 (2026-08-03), read 2026-11-26",
    keys: [
      "clusterName",
      "enableServiceMutatorWebhook",
      "enableShield",
      "enableWaf",
      "enableWafv2",
      "region",
      "replicaCount",
      "serviceAccount.annotations",
      "serviceAccount.create",
      "serviceAccount.name",
      "vpcId",
    ],
  },
  {
    pin: NVIDIA_DEVICE_PLUGIN_CHART,
    checkedAt: "0.20.0",
    source:
      "NVIDIA/k8s-device-plugin deployments/helm/nvidia-device-plugin/values.yaml @ v0.20.0: no key set; the default affinity " +
      "(nvidia.com/gpu.present=true) and toleration (nvidia.com/gpu) match the kit's GPU node groups",
    keys: [],
  },
  {
    pin: KUBE_PROMETHEUS_STACK_CHART,
    checkedAt: "88.5.3",
    source:
      "prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml @ kube-prometheus-stack-88.5.3 (ea930bae, " +
      "2026-08-21) and its subcharts' values.yaml at the versions its Chart.yaml pins: grafana 12.11.1 (grafana-community/" +
      "helm-charts tag grafana-12.11.1), kube-state-metrics 8.4.0 (b5c7f515) and prometheus-node-exporter 4.56.1 (511d14f6), " +
      "read 2026-11-26",
    keys: [
      "additionalPrometheusRulesMap",
      "alertmanager.alertmanagerSpec.automountServiceAccountToken",
      "alertmanager.alertmanagerSpec.secrets",
      "alertmanager.alertmanagerSpec.securityContext",
      "alertmanager.config",
      "alertmanager.service.type",
      "alertmanager.serviceAccount.automountServiceAccountToken",
      "grafana.admin.existingSecret",
      "grafana.admin.passwordKey",
      "grafana.admin.userKey",
      "grafana.containerSecurityContext",
      "grafana.grafana.ini",
      "grafana.initChownData.enabled",
      "grafana.securityContext",
      "grafana.sidecar.securityContext",
      "grafana.testFramework.enabled",
      "kube-state-metrics.containerSecurityContext",
      "kube-state-metrics.securityContext",
      "prometheus-node-exporter.containerSecurityContext",
      "prometheus-node-exporter.namespaceOverride",
      "prometheus-node-exporter.securityContext",
      "prometheus-node-exporter.serviceAccount.automountServiceAccountToken",
      "prometheus.prometheusSpec.securityContext",
      "prometheusOperator.admissionWebhooks.createSecretJob.securityContext",
      "prometheusOperator.admissionWebhooks.patch.securityContext",
      "prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext",
      "prometheusOperator.containerSecurityContext",
      "prometheusOperator.securityContext",
      "grafana.ingress.annotations",
      "grafana.ingress.enabled",
      "grafana.ingress.hosts",
      "grafana.ingress.ingressClassName",
      "grafana.ingress.path",
      "grafana.ingress.tls",
      "grafana.service.type",
      "grafana.sidecar.dashboards.enabled",
      "grafana.sidecar.dashboards.label",
      "grafana.sidecar.dashboards.labelValue",
      "kubeControllerManager.enabled",
      "kubeEtcd.enabled",
      "kubeProxy.enabled",
      "kubeScheduler.enabled",
      "prometheus.additionalPodMonitors",
      "prometheus.ingress.annotations",
      "prometheus.ingress.enabled",
      "prometheus.ingress.hosts",
      "prometheus.ingress.ingressClassName",
      "prometheus.ingress.paths",
      "prometheus.ingress.tls",
      "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues",
      "prometheus.prometheusSpec.retention",
      "prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues",
      "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues",
      "prometheus.prometheusSpec.storageSpec",
      "prometheus.service.type",
    ],
  },
  {
    pin: CLUSTER_AUTOSCALER_CHART,
    checkedAt: "9.59.0",
    source:
      "kubernetes/autoscaler cluster-autoscaler/charts/cluster-autoscaler/values.yaml and templates/deployment.yaml @ " +
      "cluster-autoscaler-chart-9.59.0 (5a0b98e4, 2026-07-21), read 2026-11-26",
    keys: [
      "autoDiscovery.clusterName",
      "awsRegion",
      "cloudProvider",
      "containerSecurityContext",
      "image.tag",
      "rbac.serviceAccount.annotations",
      "rbac.serviceAccount.create",
      "rbac.serviceAccount.name",
      "securityContext",
    ],
  },
  {
    pin: KEDA_CHART,
    checkedAt: "2.20.2",
    source:
      "kedacore/charts keda/values.yaml and templates/manager/networkpolicy.yaml, clusterrole.yaml, minimal-rbac.yaml, deployment.yaml, " +
      "metrics-server/networkpolicy.yaml and metrics-server/deployment.yaml @ v2.20.2 " +
      "(cbb9bb8c, 2026-07-31), read 2026-11-26",
    keys: [
      "networkPolicy.enabled",
      "networkPolicy.flavor",
      "permissions.metricServer.restrict.secret",
      "permissions.operator.restrict.secret",
      "podSecurityContext",
      "rbac.enabledCustomScaledRefKinds",
      "rbac.scaledRefKinds",
      "securityContext",
      "watchNamespace",
    ],
  },
  {
    pin: DCGM_EXPORTER_CHART,
    checkedAt: "4.8.3",
    source:
      "NVIDIA/dcgm-exporter deployment/values.yaml and templates/service-monitor.yaml @ 7ad58324 (2026-07-14); customMetrics is " +
      "read by templates/metrics-configmap.yaml (last changed 691c9276, 2026-05-06, before 4.8.3); read 2026-11-26",
    keys: [
      "affinity",
      "customMetrics",
      "kubernetes.enablePodLabels",
      "kubernetes.enablePodUID",
      "podSecurityContext",
      "securityContext",
      "serviceMonitor.enabled",
      "serviceMonitor.honorLabels",
      "serviceMonitor.interval",
      "serviceMonitor.scrapeTimeout",
      "tolerations",
    ],
  },
];

/** Environments that between them set every key the kit can set. */
const ENVIRONMENTS: Record<string, string> = {
  aws: AWS_ENVIRONMENT,
  "aws-autoscaled": awsYaml((doc) => {
    doc.gpuPools[0].instanceType = "g6.12xlarge";
    doc.gpuPools[0].maxNodes = 2;
    doc.models[0].autoscaling = { maxReplicas: 2 };
  }),
  autoscaled: BASE_ENVIRONMENT.replace("    maxModelLen: 16384\n", "    maxModelLen: 16384\n    autoscaling: { maxReplicas: 2 }\n"),
  "every-option": `${BASE_ENVIRONMENT}
monitoring:
  storage: { size: 100Gi, storageClass: fast-ssd }
  prometheusIngress: { host: prometheus.example.com, tlsSecret: prometheus-tls, className: nginx, annotations: { nginx.ingress.kubernetes.io/auth-url: "https://auth.example.com/check" } }
  grafana: { ingress: { host: grafana.example.com, tlsSecret: grafana-tls, className: nginx } }
  alertmanager:
    receivers: [{ name: team, type: webhook, urlSecret: { name: team-webhook, key: url } }]
    routes: { warning: team }
`,
};

function keyPaths(value: unknown, prefix = ""): string[] {
  const opaque = OPAQUE.includes(prefix) || OPAQUE_LAST.includes(prefix.split(".").at(-1) ?? "");
  if (typeof value !== "object" || value === null || Array.isArray(value) || opaque) return prefix ? [prefix] : [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** The keys the kit sets on each chart, over the environments above. */
function keysSet(): Map<string, Set<string>> {
  const byChart = new Map<string, Set<string>>();
  for (const [name, yaml] of Object.entries(ENVIRONMENTS)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-chart-values-"));
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-chart-values-out-"));
    try {
      fs.writeFileSync(path.join(dir, `${name}.yaml`), yaml);
      expect(synthesize([name], outdir, dir).failed).toEqual([]);
      for (const stack of fs.readdirSync(path.join(outdir, "stacks"))) {
        const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
          resource?: { helm_release?: Record<string, { chart: string; values?: string[] }> };
        };
        for (const release of Object.values(json.resource?.helm_release ?? {})) {
          const keys = byChart.get(release.chart) ?? new Set<string>();
          for (const values of release.values ?? []) for (const key of keyPaths(YAML.parse(values))) keys.add(key);
          byChart.set(release.chart, keys);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  return byChart;
}

describe("chart values keys", () => {
  const set = keysSet();

  it("cover every chart the kit installs", () => {
    expect([...set.keys()].sort()).toEqual(CHECKED.map((c) => c.pin.chart).sort());
  });

  it.each(CHECKED.map((c) => [c.pin.chart, c] as const))("of %s were checked against the pinned version", (_, checked) => {
    expect(checked.checkedAt).toBe(checked.pin.version);
    expect(checked.source).not.toBe("");
  });

  it.each(CHECKED.map((c) => [c.pin.chart, c] as const))("of %s are exactly the ones checked", (chart, checked) => {
    expect([...(set.get(chart) ?? [])].sort()).toEqual([...checked.keys].sort());
  });

  it("are read as paths, a list or an opaque value being one key", () => {
    expect(keyPaths({ a: { b: 1, c: [1] }, affinity: { x: { y: 1 } } })).toEqual(["a.b", "a.c", "affinity"]);
  });
});
