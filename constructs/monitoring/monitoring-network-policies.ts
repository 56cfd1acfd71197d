import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngress,
} from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { VLLM_PORT } from "../../core/names";
import { ROUTER_METRICS_PORT, ROUTER_POD_SELECTOR } from "../../core/scale/routing";
import { KEDA_OPERATOR_POD } from "../../monitoring/autoscaling";
import type { MonitoringConfig } from "../../core/schema/monitoring";
import { MONITORING_PODS, MONITORING_PORTS, VLLM_POD_SELECTOR } from "../../monitoring/helm-values";
import { API_SERVER_EGRESS, PUBLIC_INTERNET, denyByDefault, namespacePods } from "../serving/network-peers";

export interface MonitoringNetworkPoliciesProps {
  /** The environment's `monitoring` section: which ingresses and receivers exist decides what is admitted. */
  readonly config: MonitoringConfig;
  /** Namespace of Prometheus, Alertmanager, Grafana, kube-state-metrics and the operator. */
  readonly monitoringNamespace: string;
  /** Namespace of node-exporter and the DCGM exporter. */
  readonly hostAgentsNamespace: string;
  /** Namespace of the vLLM pods Prometheus scrapes. */
  readonly servingNamespace: string;
  /**
   * Namespace of the KEDA operator, which asks Prometheus for the autoscaled models' queue depth.
   * @default - none: no autoscaled model, KEDA is not admitted
   */
  readonly kedaNamespace?: string;
}

/**
 * Ports Prometheus scrapes on node addresses or on pods it cannot name by label: the kubelet and
 * the operator (10250), node-exporter on the host network (9100), kube-proxy (10249), CoreDNS
 * (9153), controller-manager (10257), scheduler (10259) and etcd (2381), the targets of
 * kube-prometheus-stack 79.7.1's default ServiceMonitors.
 */
const NODE_SCRAPE_PORTS = [10250, MONITORING_PORTS.nodeExporter, 10249, 9153, 10257, 10259, 2381];

const tcp = (...ports: number[]) => ports.map((port) => ({ port: String(port), protocol: "TCP" }));
const inNamespace = (labels: Readonly<Record<string, string>>) => ({ podSelector: { matchLabels: { ...labels } } });
/** Any pod of any namespace: where an ingress controller for a monitoring Ingress runs is not known. */
const ANY_POD_IN_CLUSTER = { namespaceSelector: {} };

/**
 * Default deny in both monitoring namespaces, then one policy per component that admits exactly
 * the flows it needs: Prometheus scraping and alerting, Grafana reading Prometheus and
 * Alertmanager, Alertmanager reaching its receivers, and the components that watch the
 * Kubernetes API reaching it. node-exporter runs on the host network, where NetworkPolicies do
 * not apply.
 */
export class MonitoringNetworkPolicies extends Construct {
  /** Every policy, so the Helm releases can wait for them (their hook jobs need the API allow). */
  readonly policies: NetworkPolicyV1[] = [];

  constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    const { config, monitoringNamespace: namespace } = props;
    this.policies.push(
      ...denyByDefault(new Construct(this, "monitoring"), namespace),
      ...denyByDefault(new Construct(this, "host-agents"), props.hostAgentsNamespace),
    );
    const ports = MONITORING_PORTS;

    this.allow("prometheus", namespace, MONITORING_PODS.prometheus, {
      ingress: [
        { from: [inNamespace(MONITORING_PODS.grafana)], ports: tcp(ports.prometheus) },
        { from: [inNamespace(MONITORING_PODS.prometheus)], ports: tcp(ports.prometheus, ports.configReloader) },
        ...(config.prometheusIngress ? [{ from: [ANY_POD_IN_CLUSTER], ports: tcp(ports.prometheus) }] : []),
        ...(props.kedaNamespace ? [{ from: [namespacePods(props.kedaNamespace, KEDA_OPERATOR_POD)], ports: tcp(ports.prometheus) }] : []),
      ],
      egress: [
        { to: [namespacePods(props.servingNamespace, VLLM_POD_SELECTOR)], ports: tcp(VLLM_PORT) },
        { to: [namespacePods(props.servingNamespace, ROUTER_POD_SELECTOR)], ports: tcp(ROUTER_METRICS_PORT) },
        {
          to: [{ podSelector: {} }],
          ports: tcp(
            ports.prometheus,
            ports.configReloader,
            ports.alertmanager,
            ports.grafana,
            ports.kubeStateMetricsTelemetry,
            ports.operator,
          ),
        },
        { to: [namespacePods(props.hostAgentsNamespace, MONITORING_PODS.dcgmExporter)], ports: tcp(ports.dcgmExporter) },
        { ports: tcp(...NODE_SCRAPE_PORTS) },
        API_SERVER_EGRESS,
      ],
    });

    this.allow("alertmanager", namespace, MONITORING_PODS.alertmanager, {
      ingress: [
        { from: [inNamespace(MONITORING_PODS.prometheus)], ports: tcp(ports.alertmanager, ports.configReloader) },
        { from: [inNamespace(MONITORING_PODS.grafana)], ports: tcp(ports.alertmanager) },
        { from: [inNamespace(MONITORING_PODS.alertmanager)], ports: gossip(ports.alertmanagerCluster) },
      ],
      egress: [{ to: [inNamespace(MONITORING_PODS.alertmanager)], ports: gossip(ports.alertmanagerCluster) }, ...receiverEgress(config)],
    });

    this.allow("grafana", namespace, MONITORING_PODS.grafana, {
      ingress: [
        { from: [inNamespace(MONITORING_PODS.prometheus)], ports: tcp(ports.grafana) },
        ...(config.grafana.ingress ? [{ from: [ANY_POD_IN_CLUSTER], ports: tcp(ports.grafana) }] : []),
      ],
      egress: [
        { to: [inNamespace(MONITORING_PODS.prometheus)], ports: tcp(ports.prometheus) },
        { to: [inNamespace(MONITORING_PODS.alertmanager)], ports: tcp(ports.alertmanager) },
        API_SERVER_EGRESS,
      ],
    });

    this.allow("kube-state-metrics", namespace, MONITORING_PODS.kubeStateMetrics, {
      ingress: [{ from: [inNamespace(MONITORING_PODS.prometheus)], ports: tcp(ports.kubeStateMetrics, ports.kubeStateMetricsTelemetry) }],
      egress: [API_SERVER_EGRESS],
    });

    // The API server calls the operator's admission webhook from an address no policy can name.
    this.allow("prometheus-operator", namespace, MONITORING_PODS.operator, {
      ingress: [{ ports: tcp(ports.operator) }],
      egress: [API_SERVER_EGRESS],
    });

    for (const job of ["admissionCreate", "admissionPatch"] as const) {
      this.allow(job === "admissionCreate" ? "admission-create" : "admission-patch", namespace, MONITORING_PODS[job], {
        egress: [API_SERVER_EGRESS],
      });
    }

    this.allow("dcgm-exporter", props.hostAgentsNamespace, MONITORING_PODS.dcgmExporter, {
      ingress: [{ from: [namespacePods(namespace, MONITORING_PODS.prometheus)], ports: tcp(ports.dcgmExporter) }],
    });
  }

  private allow(
    component: string,
    namespace: string,
    pods: Readonly<Record<string, string>>,
    rules: { ingress?: NetworkPolicyV1SpecIngress[]; egress?: NetworkPolicyV1SpecEgress[] },
  ): void {
    this.policies.push(
      new NetworkPolicyV1(this, `allow-${component}`, {
        metadata: { name: `allow-${component}`, namespace },
        spec: {
          podSelector: { matchLabels: { ...pods } },
          policyTypes: [...(rules.ingress ? ["Ingress"] : []), ...(rules.egress ? ["Egress"] : [])],
          ingress: rules.ingress,
          egress: rules.egress,
        },
      }),
    );
  }
}

function gossip(port: number) {
  return [
    { port: String(port), protocol: "TCP" },
    { port: String(port), protocol: "UDP" },
  ];
}

/**
 * Slack and PagerDuty are HTTPS services on the Internet. A webhook's URL sits in a Secret the
 * kit never reads at synth, so its host and port are unknown: a webhook receiver opens
 * Alertmanager's egress to any address and port.
 */
function receiverEgress(config: MonitoringConfig): NetworkPolicyV1SpecEgress[] {
  const types = new Set(config.alertmanager.receivers.map((receiver) => receiver.type));
  if (types.has("webhook")) return [{}];
  if (types.size > 0) return [{ to: [PUBLIC_INTERNET], ports: tcp(443) }];
  return [];
}
