import { DataKubernetesSecretV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import YAML from "yaml";
import { buildAlertmanagerConfig, mountedSecretPath, secretsToMount } from "../../monitoring/alertmanager-config";
import { loadDashboards } from "../../monitoring/dashboards";
import {
  dcgmExporterValues,
  hostAgentsNamespace,
  KUBE_PROMETHEUS_STACK_RELEASE,
  kubePrometheusStackValues,
  type ControlPlaneComponent,
  type GpuNodePlacement,
} from "../../monitoring/helm-values";
import { DCGM_EXPORTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from "../../core/pins";
import { renderRuleFiles } from "../../monitoring/render-rules";
import type { MonitoringConfig } from "../../core/schema/monitoring";
import { DashboardConfigMaps } from "./dashboard-config-maps";
import { kitNamespaceLabels } from "../serving/network-peers";
import { GrafanaAdminSecret } from "./grafana-admin-secret";
import { MonitoringNetworkPolicies } from "./monitoring-network-policies";

export interface ClusterMonitoringProps {
  /** The environment's `monitoring` section: namespace, retention, storage, Grafana, Alertmanager, SLO, GPU exporter. */
  readonly config: MonitoringConfig;
  /** Namespace of the vLLM pods; pass the serving namespace's name attribute to order after it. */
  readonly servingNamespace: string;
  /** Served model names the completion TTFT SLO applies to (role completion or both). */
  readonly completionModels: readonly string[];
  /** Where the GPUs are: the DCGM exporter is scheduled onto these nodes. */
  readonly gpuPools: readonly GpuNodePlacement[];
  /**
   * Control-plane components the cluster does not let Prometheus scrape (a managed control
   * plane): their exporters and alerts are turned off instead of firing forever.
   * @default - none: every component is scraped
   */
  readonly unscrapedComponents?: readonly ControlPlaneComponent[];
  /**
   * Namespace of the KEDA operator that reads the autoscaled models' queue depth from Prometheus.
   * @default - none: no model autoscales
   */
  readonly kedaNamespace?: string;
}

/**
 * Prometheus, Alertmanager and Grafana (kube-prometheus-stack), the DCGM GPU exporter, and
 * AiCockpit's rules, dashboards, vLLM PodMonitor and the monitoring namespaces' NetworkPolicies;
 * its exporters watch every node and GPU of the cluster. The policy that admits Prometheus to
 * vLLM's metrics port lives with the models (VllmMetricsNetworkPolicy): on aws the models'
 * namespace comes with a later stack. Rules and the PodMonitor travel in the chart's values
 * (additionalPrometheusRulesMap, additionalPodMonitors), so they need no CRD at plan time and
 * install with the CRDs.
 */
export class ClusterMonitoring extends Construct {
  /** A reference to the monitoring namespace's name. */
  private readonly namespace: string;
  /** Receiver Secrets read so far, by construct id: each is read once however often it is used. */
  private readonly receiverSecrets = new Map<string, DataKubernetesSecretV1>();

  constructor(scope: Construct, id: string, props: ClusterMonitoringProps) {
    super(scope, id);
    const { config } = props;
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: config.namespace, labels: kitNamespaceLabels("restricted") },
    });
    this.namespace = namespace.metadata.name;
    // The documented exception (docs/security.md): node-exporter needs the host's network, PID
    // namespace and root filesystem, the DCGM exporter a host path to the kubelet's
    // pod-resources socket; both are only allowed at the `privileged` level, so they get a
    // namespace of their own and every other monitoring pod stays under `restricted`.
    const hostAgents = new NamespaceV1(this, "host-agents-namespace", {
      metadata: {
        name: hostAgentsNamespace(config.namespace),
        labels: kitNamespaceLabels("privileged"),
      },
    }).metadata.name;
    const policies = new MonitoringNetworkPolicies(this, "network-policies", {
      config,
      monitoringNamespace: this.namespace,
      hostAgentsNamespace: hostAgents,
      servingNamespace: props.servingNamespace,
      kedaNamespace: props.kedaNamespace,
    }).policies;

    const grafanaAdminSecret = new GrafanaAdminSecret(this, "grafana-admin", {
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

    const kubePrometheusStack = new Release(this, "kube-prometheus-stack", {
      name: KUBE_PROMETHEUS_STACK_RELEASE,
      namespace: this.namespace,
      ...KUBE_PROMETHEUS_STACK_CHART,
      values: [
        YAML.stringify(
          kubePrometheusStackValues({
            config,
            hostAgentsNamespace: hostAgents,
            servingNamespace: props.servingNamespace,
            grafanaAdminSecret,
            rules,
            alertmanagerConfig,
            alertmanagerSecrets: secretsToMount(config.alertmanager),
            unscrapedComponents: props.unscrapedComponents ?? [],
          }),
          { lineWidth: 0 },
        ),
      ],
      atomic: true,
      timeout: 900,
      // Its hook jobs and pods start under default-deny: their allows must exist first.
      dependsOn: policies,
    });

    if (config.dcgmExporter.enabled) {
      new Release(this, "dcgm-exporter", {
        name: "dcgm-exporter",
        namespace: hostAgents,
        ...DCGM_EXPORTER_CHART,
        values: [YAML.stringify(dcgmExporterValues(props.gpuPools), { lineWidth: 0 })],
        // Its ServiceMonitor needs the CRDs the kube-prometheus-stack release installs.
        dependsOn: [kubePrometheusStack, ...policies],
        atomic: true,
        timeout: 600,
      });
    }

    new DashboardConfigMaps(this, "dashboards", { namespace: this.namespace, dashboards: loadDashboards() });
  }

  /** A Secret entry read at deploy time: the synthesized JSON holds only the reference. */
  private secretValue(ref: { name: string; key: string }): string {
    const id = `receiver-secret-${ref.name}-${ref.key}`.replace(/[^A-Za-z0-9-]/g, "-");
    let secret = this.receiverSecrets.get(id);
    if (!secret) {
      secret = new DataKubernetesSecretV1(this, id, { metadata: { name: ref.name, namespace: this.namespace } });
      this.receiverSecrets.set(id, secret);
    }
    return secret.data.lookup(ref.key);
  }
}
