/** Synth tests of the ClusterMonitoring construct and of its place in the environment stack. */
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Testing } from "cdktf";
import YAML from "yaml";
import { ClusterMonitoring } from "../../constructs/monitoring/cluster-monitoring";
import { loadDashboards } from "../../monitoring/dashboards";
import { DCGM_EXPORTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from "../../core/pins";
import { monitoringSchema, type MonitoringInput } from "../../core/schema/monitoring";
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack, type TerraformJson } from "../helpers/synth";

/** The monitoring namespace, by reference: objects in it are created after it. */
const MONITORING_NAMESPACE = expect.stringMatching(/^\$\{kubernetes_namespace_v1\.monitoring_namespace_\w+\.metadata\[0\]\.name\}$/);

interface HelmRelease {
  name: string;
  chart: string;
  version: string;
  repository: string;
  values: string[];
  depends_on?: string[];
}

function synthMonitoring(input: MonitoringInput, completionModels = ["qwen-coder"]) {
  const json = Testing.synthScope((scope) => {
    new KubernetesProvider(scope, "kubernetes", {});
    new HelmProvider(scope, "helm", {});
    new RandomProvider(scope, "random");
    new ClusterMonitoring(scope, "monitoring", {
      config: monitoringSchema.parse(input),
      servingNamespace: "coders",
      completionModels,
      gpuPools: [
        {
          nodeSelector: { "nvidia.com/gpu.product": "NVIDIA-L40S" },
          tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
        },
      ],
    });
  });
  const tf = JSON.parse(json) as TerraformJson;
  const releases = resourcesOfType(tf, "helm_release") as unknown as HelmRelease[];
  const release = (name: string) => releases.find((r) => r.name === name);
  const values = (name: string) => YAML.parse(release(name)!.values[0]);
  return { json, tf, releases, release, values };
}

const withReceivers: MonitoringInput = {
  retention: "30d",
  storage: { size: "200Gi", storageClass: "fast-ssd" },
  slo: { completionTtftP95Ms: 150, availabilityPercent: 99.5 },
  grafana: { ingress: { host: "grafana.example.com", tlsSecret: "grafana-tls", className: "nginx" } },
  alertmanager: {
    receivers: [
      { name: "team", type: "slack", urlSecret: { name: "slack-webhook", key: "url" } },
      { name: "tickets", type: "webhook", urlSecret: { name: "tickets-webhook", key: "url" } },
    ],
    routes: { critical: "tickets", warning: "team" },
  },
};

describe("ClusterMonitoring", () => {
  const { json, tf, release, values } = synthMonitoring(withReceivers);

  it("installs kube-prometheus-stack and the DCGM exporter at pinned chart versions", () => {
    expect(json).toHaveResourceWithProperties(Release, {
      name: "kube-prometheus-stack",
      namespace: MONITORING_NAMESPACE,
      chart: KUBE_PROMETHEUS_STACK_CHART.chart,
      repository: KUBE_PROMETHEUS_STACK_CHART.repository,
      version: KUBE_PROMETHEUS_STACK_CHART.version,
    });
    expect(release("dcgm-exporter")).toMatchObject({ chart: "dcgm-exporter", version: DCGM_EXPORTER_CHART.version });
    expect(DCGM_EXPORTER_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(release("dcgm-exporter")?.depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining("helm_release.monitoring_kube-prometheus-stack")]),
    );
  });

  it("generates retention, storage, and the Grafana login from a Secret", () => {
    const v = values("kube-prometheus-stack");
    expect(v.prometheus.prometheusSpec.retention).toBe("30d");
    expect(v.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec).toMatchObject({
      storageClassName: "fast-ssd",
      resources: { requests: { storage: "200Gi" } },
    });
    expect(v.grafana.admin).toEqual({
      existingSecret: expect.stringMatching(/^\$\{kubernetes_secret_v1\..*\.metadata\[0\]\.name\}$/),
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    expect(v.grafana).not.toHaveProperty("adminPassword");
  });

  it("generates the Grafana password into a Secret: the JSON holds only a reference", () => {
    const [secret] = resourcesOfType(tf, "kubernetes_secret_v1") as { metadata: { name: string }; data: Record<string, string> }[];
    expect(secret.metadata.name).toBe("grafana-admin");
    expect(secret.data["admin-password"]).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
    expect(resourcesOfType(tf, "random_password")).toEqual([{ length: 32, special: false }]);
  });

  it("exposes nothing publicly except the configured Grafana Ingress, always with TLS", () => {
    const v = values("kube-prometheus-stack");
    for (const part of [v.prometheus, v.grafana, v.alertmanager]) expect(part.service.type).toBe("ClusterIP");
    expect(v.prometheus.ingress).toEqual({ enabled: false });
    expect(v.grafana.ingress).toMatchObject({
      enabled: true,
      ingressClassName: "nginx",
      hosts: ["grafana.example.com"],
      tls: [{ secretName: "grafana-tls", hosts: ["grafana.example.com"] }],
    });
  });

  it("deploys the rendered rules with the environment's SLO and completion models as PrometheusRules", () => {
    const rules = values("kube-prometheus-stack").additionalPrometheusRulesMap;
    expect(Object.keys(rules).sort()).toEqual([
      "gpu-alerts",
      "pod-alerts",
      "router-alerts",
      "slo-alerts",
      "slo-recording",
      "vllm-alerts",
      "vllm-recording",
    ]);
    const recorded = (name: string) => rules["slo-recording"].groups[0].rules.find((r: { record?: string }) => r.record === name);
    const slow = recorded("namespace_model:aicockpit_completion_ttft_slow:ratio_rate5m");
    expect(slow.expr).toContain('model_name=~"qwen-coder"');
    // 150 ms counts at vLLM's 0.1 s bucket, the largest bound not above it.
    expect(slow.expr).toContain('le="0.1"');
    expect(recorded("aicockpit:availability_error_budget:ratio").expr).toBe("vector(0.005)");
    const restarting = rules["pod-alerts"].groups[0].rules.find((r: { alert?: string }) => r.alert === "VllmPodRestarting");
    expect(restarting.expr).toContain('namespace="coders"');
  });

  it("scrapes the vLLM pods and the routers on their metrics ports with a PodMonitor each, as separate jobs", () => {
    expect(values("kube-prometheus-stack").prometheus.additionalPodMonitors).toEqual([
      expect.objectContaining({
        jobLabel: "app.kubernetes.io/name",
        namespaceSelector: { matchNames: ["coders"] },
        selector: { matchLabels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/part-of": "aicockpit" } },
        podMetricsEndpoints: [expect.objectContaining({ port: "http", path: "/metrics" })],
      }),
      expect.objectContaining({
        jobLabel: "app.kubernetes.io/name",
        namespaceSelector: { matchNames: ["coders"] },
        selector: { matchLabels: { "app.kubernetes.io/name": "vllm-router", "app.kubernetes.io/part-of": "aicockpit" } },
        podMetricsEndpoints: [
          expect.objectContaining({
            port: "metrics",
            path: "/metrics",
            relabelings: [
              { sourceLabels: ["__meta_kubernetes_pod_label_aicockpit_dev_model"], targetLabel: "model_name", action: "replace" },
            ],
          }),
        ],
      }),
    ]);
  });

  it("configures Alertmanager with no receiver URL in the Terraform JSON", () => {
    const am = values("kube-prometheus-stack").alertmanager;
    expect(am.alertmanagerSpec.secrets).toEqual(["slack-webhook"]);
    const receivers = am.config.receivers as {
      name: string;
      slack_configs?: { api_url_file: string }[];
      webhook_configs?: { url: string }[];
    }[];
    expect(receivers.find((r) => r.name === "team")?.slack_configs?.[0].api_url_file).toBe("/etc/alertmanager/secrets/slack-webhook/url");
    expect(receivers.find((r) => r.name === "tickets")?.webhook_configs?.[0].url).toMatch(
      /^\$\{data\.kubernetes_secret_v1\.[\w-]+\.data\["url"\]\}$/,
    );
    expect(json).not.toMatch(/https?:\/\/(?!prometheus-community\.github\.io|nvidia\.github\.io)/);
    expect(json).toHaveDataSourceWithProperties(
      { tfResourceType: "kubernetes_secret_v1" },
      { metadata: { name: "tickets-webhook", namespace: expect.stringContaining("kubernetes_namespace_v1") } },
    );
  });

  it("ships every dashboard as a ConfigMap for Grafana's sidecar", () => {
    for (const { fileName, json: dashboard } of loadDashboards()) {
      expect(json).toHaveResourceWithProperties(ConfigMapV1, {
        metadata: expect.objectContaining({ labels: expect.objectContaining({ grafana_dashboard: "1" }) }),
        data: { [fileName]: dashboard },
      });
    }
  });

  it("lets only Prometheus in the monitoring namespace reach vLLM's port 8000 (a policy the models' stack makes)", () => {
    const names = resourcesOfType(tf, "kubernetes_network_policy_v1").map((p) => (p.metadata as { name: string }).name);
    expect(names).not.toContain("allow-prometheus-to-vllm-metrics");
    const { json: serving } = synthStack(environmentFrom(BASE_ENVIRONMENT));
    expect(serving).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: {
        name: "allow-prometheus-to-vllm-metrics",
        namespace: expect.stringContaining("kubernetes_namespace_v1.serving-namespace"),
      },
      spec: {
        pod_selector: { match_labels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/part-of": "aicockpit" } },
        policy_types: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } },
                pod_selector: { match_labels: { "app.kubernetes.io/name": "prometheus" } },
              },
            ],
            ports: [{ port: "8000", protocol: "TCP" }],
          },
        ],
      },
    });
  });

  it("schedules the DCGM exporter on the GPU pools' nodes", () => {
    const v = values("dcgm-exporter");
    expect(v.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "nvidia.com/gpu.product", operator: "In", values: ["NVIDIA-L40S"] }] },
    ]);
  });
});

describe("ClusterMonitoring options", () => {
  it("uses an existing Grafana Secret without generating a password", () => {
    const { tf, values } = synthMonitoring({ grafana: { adminPasswordSecret: "ops-grafana" } });
    expect(resourcesOfType(tf, "random_password")).toEqual([]);
    expect(resourcesOfType(tf, "kubernetes_secret_v1")).toEqual([]);
    expect(values("kube-prometheus-stack").grafana.admin.existingSecret).toBe("ops-grafana");
  });

  it("without the DCGM exporter installs no exporter and no GPU alerts", () => {
    const { release, values } = synthMonitoring({ dcgmExporter: { enabled: false } });
    expect(release("dcgm-exporter")).toBeUndefined();
    expect(Object.keys(values("kube-prometheus-stack").additionalPrometheusRulesMap)).not.toContain("gpu-alerts");
  });
});

describe("the environment stack", () => {
  it("deploys monitoring by default, for the completion models only", () => {
    const environment = environmentFrom(`${BASE_ENVIRONMENT}
  - servedName: team-chat
    model: qwen2.5-coder-7b-instruct
    role: chat
    pool: gpu
    maxModelLen: 16384
`);
    const { json, tf } = synthStack(environment);
    expect(json).toHaveResourceWithProperties(Release, { name: "kube-prometheus-stack", version: KUBE_PROMETHEUS_STACK_CHART.version });
    const kps = (resourcesOfType(tf, "helm_release") as unknown as HelmRelease[]).find((r) => r.name === "kube-prometheus-stack")!;
    const rules = YAML.parse(kps.values[0]).additionalPrometheusRulesMap;
    const slo = rules["slo-recording"].groups[0].rules.find(
      (r: { record?: string }) => r.record === "namespace_model:aicockpit_completion_ttft_slow:ratio_rate1h",
    );
    expect(slo.expr).toContain('model_name=~"qwen-coder"');
    expect(slo.expr).not.toContain("team-chat");
    // The metrics policy lives in the serving namespace the stack creates.
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: {
        name: "allow-prometheus-to-vllm-metrics",
        namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\.serving-namespace/),
      },
    });
  });

  it("deploys no monitoring when the environment turns it off", () => {
    const { tf } = synthStack(environmentFrom(`${BASE_ENVIRONMENT}\nmonitoring: { enabled: false }\n`));
    expect(resourcesOfType(tf, "helm_release")).toEqual([]);
  });
});

describe("ClusterMonitoring least privilege", () => {
  type Policy = {
    metadata: { name: string; namespace: string };
    spec: { ingress?: unknown[]; egress?: unknown[]; policy_types: string[] };
  };
  const policies = (tf: TerraformJson) => resourcesOfType(tf, "kubernetes_network_policy_v1") as unknown as Policy[];
  const policy = (tf: TerraformJson, name: string) => policies(tf).find((p) => p.metadata.name === name);

  it("enforces restricted on the monitoring namespace and keeps the host agents in a privileged one of their own", () => {
    const { tf, release } = synthMonitoring({});
    const namespaces = resourcesOfType(tf, "kubernetes_namespace_v1") as { metadata: { name: string; labels: Record<string, string> } }[];
    expect(namespaces.map((n) => [n.metadata.name, n.metadata.labels["pod-security.kubernetes.io/enforce"]]).sort()).toEqual([
      ["monitoring", "restricted"],
      ["monitoring-host-agents", "privileged"],
    ]);
    expect(release("dcgm-exporter")?.values[0]).not.toContain("SYS_ADMIN");
    expect((release("dcgm-exporter") as unknown as { namespace: string }).namespace).toMatch(/host-agents-namespace/);
  });

  it("denies by default in both namespaces and installs the charts only after the allows exist", () => {
    const { tf, release } = synthMonitoring({});
    for (const namespace of ["monitoring_namespace", "monitoring_host-agents-namespace"]) {
      const names = policies(tf)
        .filter((p) => p.metadata.namespace.includes(namespace))
        .map((p) => p.metadata.name);
      expect(names).toEqual(expect.arrayContaining(["default-deny-ingress", "default-deny-egress", "allow-dns"]));
    }
    expect(release("kube-prometheus-stack")?.depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining("default-deny-egress"), expect.stringContaining("allow-prometheus-operator")]),
    );
  });

  it("opens Alertmanager's egress only as far as its receivers need", () => {
    const egress = (input: MonitoringInput) => policy(synthMonitoring(input).tf, "allow-alertmanager")!.spec.egress;
    const gossipOnly = egress({});
    expect(gossipOnly).toHaveLength(1);
    const slack = egress({ alertmanager: { receivers: [{ name: "team", type: "slack", urlSecret: { name: "s", key: "url" } }] } });
    expect(slack).toContainEqual({
      to: [{ ip_block: { cidr: "0.0.0.0/0", except: expect.arrayContaining(["10.0.0.0/8"]) } }],
      ports: [{ port: "443", protocol: "TCP" }],
    });
    // A webhook's URL is in a Secret the kit never reads at synth: any address and port.
    const webhook = egress(withReceivers);
    expect(webhook).toContainEqual({});
  });

  it("admits ingress-controller traffic to Grafana and Prometheus only when they are published", () => {
    const fromAnyPod = (tf: TerraformJson, name: string) =>
      JSON.stringify(policy(tf, name)!.spec.ingress).includes('{"namespace_selector":{}}');
    const privateStack = synthMonitoring({}).tf;
    expect(fromAnyPod(privateStack, "allow-grafana")).toBe(false);
    expect(fromAnyPod(privateStack, "allow-prometheus")).toBe(false);
    const published = synthMonitoring({
      grafana: { ingress: { host: "g.example.com", tlsSecret: "g-tls" } },
      prometheusIngress: { host: "p.example.com", tlsSecret: "p-tls" },
    }).tf;
    expect(fromAnyPod(published, "allow-grafana")).toBe(true);
    expect(fromAnyPod(published, "allow-prometheus")).toBe(true);
  });

  it("lets Prometheus scrape vLLM in the serving namespace and the DCGM exporter in the host-agents one", () => {
    const { tf } = synthMonitoring({});
    const egress = JSON.stringify(policy(tf, "allow-prometheus")!.spec.egress);
    expect(egress).toContain('{"namespace_selector":{"match_labels":{"kubernetes.io/metadata.name":"coders"}}');
    expect(egress).toContain('"port":"8000"');
    expect(egress).toContain('"port":"9400"');
    expect(policy(tf, "allow-dcgm-exporter")!.metadata.namespace).toMatch(/host-agents-namespace/);
  });
});
