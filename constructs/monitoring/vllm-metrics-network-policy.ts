import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { VLLM_POD_SELECTOR } from "../../monitoring/helm-values";
import { VLLM_PORT } from "../../core/names";

export interface VllmMetricsNetworkPolicyProps {
  /** Namespace of the vLLM pods, where the policy goes. */
  readonly servingNamespace: string;
  /** Namespace of the Prometheus that scrapes them, the one source admitted. */
  readonly monitoringNamespace: string;
}

/**
 * Lets Prometheus (and only Prometheus, from the monitoring namespace) reach vLLM's own port,
 * where `/metrics` is served. The serving namespace denies ingress by default, and the API
 * gateway's policy admits clients on the gateway port only.
 */
export class VllmMetricsNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: VllmMetricsNetworkPolicyProps) {
    super(scope, id);
    new NetworkPolicyV1(this, "policy", {
      metadata: { name: "allow-prometheus-to-vllm-metrics", namespace: props.servingNamespace },
      spec: {
        podSelector: { matchLabels: VLLM_POD_SELECTOR },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": props.monitoringNamespace } },
                podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
              },
            ],
            ports: [{ port: String(VLLM_PORT), protocol: "TCP" }],
          },
        ],
      },
    });
  }
}
