import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import YAML from "yaml";
import {
  buildAlertmanagerConfig,
  mountedSecretPath,
  secretsToMount,
} from "../../monitoring/alertmanager-config";
import { loadDashboards } from "../../monitoring/dashboards";
import { dcgmExporterValues, kubePrometheusStackValues, type GpuNodePlacement } from "../../monitoring/helm-values";
import { DCGM_EXPORTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from "../../core/pins";
import { renderRuleFiles } from "../../monitoring/render-rules";
import type { MonitoringConfig } from "../../core/schema/monitoring";
import { DashboardConfigMaps } from "./dashboard-config-maps";
import { GrafanaAdminSecret } from "./grafana-admin-secret";
import { VllmMetricsNetworkPolicy } from "./vllm-metrics-network-policy";

export interface MonitoringProps {
  config: MonitoringConfig;
  /** Namespace of the vLLM pods; pass the serving namespace's name attribute to order after it. */
  servingNamespace: string;
  /** Served model names the completion TTFT SLO applies to (role completion or both). */
  completionModels: readonly string[];
  /** Where the GPUs are: the DCGM exporter is scheduled onto these nodes. */
  gpuPools: readonly GpuNodePlacement[];
}

/**
 * Prometheus, Alertmanager and Grafana (kube-prometheus-stack), the DCGM GPU exporter, and
 * AiCockpit's rules, dashboards, vLLM PodMonitor and metrics NetworkPolicy for one environment.
 * Rules and the PodMonitor travel in the chart's values (additionalPrometheusRulesMap,
 * additionalPodMonitors), so they need no CRD at plan time and install with the CRDs.
 */
export class MonitoringStack extends Construct {
  readonly namespace: string;
  readonly grafanaAdminSecret: string;
  readonly kubePrometheusStack: Release;
  readonly dcgmExporter?: Release;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: config.namespace, labels: { "app.kubernetes.io/part-of": "aicockpit" } },
    });
    this.namespace = namespace.metadata.name;

    this.grafanaAdminSecret = new GrafanaAdminSecret(this, "grafana-admin", {
      namespace: this.namespace,
      existingSecret: config.grafana.adminPasswordSecret,
    }).secretName;

    const alertmanagerConfig = buildAlertmanagerConfig(config.alertmanager, {
      filePath: (ref) => mountedSecretPath(ref),
      value: (ref) => this.secretValue(ref),
    });

    const rules = renderRuleFiles({
      completionTtftP95Ms: config.slo.completionTtftP95Ms,
      availabilityPercent: config.slo.availabilityPercent,
      completionModels: props.completionModels,
      servingNamespace: props.servingNamespace,
      runbookBaseUrl: config.runbookBaseUrl,
      gpuRules: config.dcgmExporter.enabled,
    });

    this.kubePrometheusStack = new Release(this, "kube-prometheus-stack", {
      name: "kube-prometheus-stack",
      namespace: this.namespace,
      ...KUBE_PROMETHEUS_STACK_CHART,
      values: [
        YAML.stringify(
          kubePrometheusStackValues({
            config,
            servingNamespace: props.servingNamespace,
            grafanaAdminSecret: this.grafanaAdminSecret,
            rules,
            alertmanagerConfig,
            alertmanagerSecrets: secretsToMount(config.alertmanager),
          }),
          { lineWidth: 0 },
        ),
      ],
      atomic: true,
      timeout: 900,
    });

    if (config.dcgmExporter.enabled) {
      this.dcgmExporter = new Release(this, "dcgm-exporter", {
        name: "dcgm-exporter",
        namespace: this.namespace,
        ...DCGM_EXPORTER_CHART,
        values: [YAML.stringify(dcgmExporterValues(props.gpuPools), { lineWidth: 0 })],
        // Its ServiceMonitor needs the CRDs the kube-prometheus-stack release installs.
        dependsOn: [this.kubePrometheusStack],
        atomic: true,
        timeout: 600,
      });
    }

    new DashboardConfigMaps(this, "dashboards", { namespace: this.namespace, dashboards: loadDashboards() });
    new VllmMetricsNetworkPolicy(this, "vllm-metrics-policy", {
      servingNamespace: props.servingNamespace,
      monitoringNamespace: this.namespace,
    });
  }

  /** A Secret entry read at deploy time: the synthesized JSON holds only the reference. */
  private secretValue(ref: { name: string; key: string }): string {
    const id = `receiver-secret-${ref.name}-${ref.key}`.replace(/[^A-Za-z0-9-]/g, "-");
    const existing = this.node.tryFindChild(id) as DataKubernetesSecretV1 | undefined;
    const secret =
      existing ?? new DataKubernetesSecretV1(this, id, { metadata: { name: ref.name, namespace: this.namespace } });
    return secret.data.lookup(ref.key);
  }
}
