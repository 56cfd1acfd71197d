import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NetworkPolicyV1, type NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { ROUTER_POD_SELECTOR } from "../../core/scale/routing";
import { GATEWAY_PORT, SERVICE_PORT } from "../../core/names";
import { VLLM_POD_SELECTOR } from "../../monitoring/helm-values";

/** Where a client of the models' API may connect from. */
export type ApiClientSource =
  /** Any pod in any namespace of the cluster. */
  | { readonly kind: "anyNamespace" }
  /** The pods of one namespace, e.g. the ingress controller's. */
  | { readonly kind: "namespace"; readonly name: string }
  /** Any address in an IPv4 CIDR, e.g. a node port's clients or the VPC a load balancer sits in. */
  | { readonly kind: "cidr"; readonly cidr: string };

/** An Ingress that routes `/<service>/v1` to each model's Service over TLS. */
export interface ApiIngressProps {
  /** DNS name the Ingress serves. */
  readonly host: string;
  /** Existing kubernetes.io/tls Secret for `host`: the Ingress serves TLS only. */
  readonly tlsSecretName: string;
  /** IngressClass of the controller that serves the Ingress. */
  readonly className: string;
  /** Annotations for the ingress controller (authentication, timeouts, …). */
  readonly annotations: Readonly<Record<string, string>>;
  /** Resource names of the models' Services; each is routed at `/<name>/v1`. */
  readonly serviceNames: readonly string[];
}

export interface ApiExposureProps {
  /** Namespace of the models' pods and Services. */
  readonly namespace: string;
  /** Who may connect to the gateway port, the only way into the models' API. */
  readonly allowedSources: readonly ApiClientSource[];
  /**
   * An Ingress in front of the models' Services.
   * @default - none: clients connect to each model's Service
   */
  readonly ingress?: ApiIngressProps;
  /**
   * Whether some model has a router in front: its pods get the same admission as the vLLM pods.
   * @default false
   */
  readonly routers?: boolean;
}

/**
 * How clients reach the models, and nothing more: a NetworkPolicy admits the allowed sources
 * to the gateway port only, and an Ingress (when given) routes `/<model>/v1` over TLS.
 */
export class ApiExposure extends Construct {
  constructor(scope: Construct, id: string, props: ApiExposureProps) {
    super(scope, id);
    const { ingress, namespace } = props;
    new NetworkPolicyV1(this, "allow-api", {
      metadata: { name: "aicockpit-allow-api", namespace },
      spec: {
        podSelector: { matchLabels: VLLM_POD_SELECTOR },
        policyTypes: ["Ingress"],
        ingress: [{ from: props.allowedSources.map(networkPolicyPeer), ports: [{ port: String(GATEWAY_PORT), protocol: "TCP" }] }],
      },
    });
    if (props.routers) {
      new NetworkPolicyV1(this, "allow-api-routers", {
        metadata: { name: "aicockpit-allow-api-routers", namespace },
        spec: {
          podSelector: { matchLabels: ROUTER_POD_SELECTOR },
          policyTypes: ["Ingress"],
          ingress: [{ from: props.allowedSources.map(networkPolicyPeer), ports: [{ port: String(GATEWAY_PORT), protocol: "TCP" }] }],
        },
      });
    }
    if (ingress) {
      new IngressV1(this, "ingress", {
        metadata: { name: "aicockpit", namespace, annotations: ingress.annotations },
        spec: {
          ingressClassName: ingress.className,
          tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
          rule: [
            {
              host: ingress.host,
              http: {
                path: ingress.serviceNames.map((service) => ({
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

function networkPolicyPeer(source: ApiClientSource): NetworkPolicyV1SpecIngressFrom {
  switch (source.kind) {
    case "anyNamespace":
      return { namespaceSelector: {} };
    case "namespace":
      return { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": source.name } } };
    case "cidr":
      return { ipBlock: { cidr: source.cidr } };
  }
}
