import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NetworkPolicyV1, type NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { modelNodePort } from "../../core/endpoint-url";
import { GATEWAY_PORT, SERVICE_PORT } from "../../core/names";
import type { ExposureConfig } from "../../core/schema/serving";
import type { ServiceExposure } from "./vllm-server";

export interface ApiExposureProps {
  namespace: string;
  exposure: ExposureConfig;
  /** Resource names of the models' Services. */
  services: string[];
}

/**
 * How clients reach the models, and nothing more: a NetworkPolicy admits the exposure path
 * to the gateway port only, and an Ingress (when configured) routes `/<model>/v1` over TLS.
 */
export class ApiExposure extends Construct {
  constructor(scope: Construct, id: string, props: ApiExposureProps) {
    super(scope, id);
    const { exposure, namespace } = props;
    new NetworkPolicyV1(this, "allow-api", {
      metadata: { name: "aicockpit-allow-api", namespace },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/part-of": "aicockpit" } },
        policyTypes: ["Ingress"],
        ingress: [{ from: allowedSources(exposure), ports: [{ port: String(GATEWAY_PORT), protocol: "TCP" }] }],
      },
    });
    if (exposure.type === "Ingress") {
      new IngressV1(this, "ingress", {
        metadata: { name: "aicockpit", namespace, annotations: exposure.annotations },
        spec: {
          ingressClassName: exposure.className,
          tls: [{ hosts: [exposure.host], secretName: exposure.tlsSecret }],
          rule: [
            {
              host: exposure.host,
              http: {
                path: props.services.map((service) => ({
                  path: `/${service}/v1`,
                  pathType: "Prefix",
                  backend: { service: { name: service, port: { number: SERVICE_PORT } } },
                })),
              },
            },
          ],
        },
      });
    }
  }
}

function allowedSources(exposure: ExposureConfig): NetworkPolicyV1SpecIngressFrom[] {
  switch (exposure.type) {
    case "ClusterIP":
      return [{ namespaceSelector: {} }];
    case "Ingress":
      return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": exposure.controllerNamespace } } }];
    case "NodePort":
    case "LoadBalancer":
      return exposure.allowedCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  }
}

/** The Service shape each model gets for an exposure. */
export function serviceExposure(exposure: ExposureConfig, modelIndex: number): ServiceExposure {
  switch (exposure.type) {
    case "NodePort":
      return { type: "NodePort", nodePort: modelNodePort(exposure, modelIndex) };
    case "LoadBalancer":
      return {
        type: "LoadBalancer",
        annotations: exposure.annotations,
        loadBalancerSourceRanges: exposure.allowedCidrs,
      };
    default:
      return { type: "ClusterIP" };
  }
}
