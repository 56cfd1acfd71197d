/**
 * How the environment's `exposure` section becomes props of the serving constructs: who the
 * API's NetworkPolicy admits, the Service in front of each model, and the Ingress.
 */
import type { ApiClientSource, ApiIngressProps } from "../constructs/serving/api-exposure";
import type { ServiceExposure } from "../constructs/serving/vllm-server";
import { modelNodePort } from "../core/endpoint-url";
import type { ExposureConfig } from "../core/schema/serving";

/** Who may connect to the models' gateway port. */
export function apiClientSources(exposure: ExposureConfig): ApiClientSource[] {
  switch (exposure.type) {
    case "ClusterIP":
      return [{ kind: "anyNamespace" }];
    case "Ingress":
      // Clients come through the ingress controller, and only through it.
      return [{ kind: "namespace", name: exposure.controllerNamespace }];
    case "NodePort":
    case "LoadBalancer":
      return exposure.allowedCidrs.map((cidr) => ({ kind: "cidr", cidr }));
  }
}

/** The Service in front of the `modelIndex`-th model. */
export function modelServiceExposure(exposure: ExposureConfig, modelIndex: number): ServiceExposure {
  switch (exposure.type) {
    case "NodePort":
      return { type: "NodePort", nodePort: modelNodePort(exposure, modelIndex) };
    case "LoadBalancer":
      return {
        type: "LoadBalancer",
        annotations: exposure.annotations,
        internal: exposure.internal,
        loadBalancerSourceRanges: exposure.allowedCidrs,
      };
    default:
      return { type: "ClusterIP" };
  }
}

/** The Ingress routing `/<service>/v1` to each model, for Ingress exposure; none otherwise. */
export function apiIngress(exposure: ExposureConfig, serviceNames: readonly string[]): ApiIngressProps | undefined {
  if (exposure.type !== "Ingress") return undefined;
  return {
    host: exposure.host,
    tlsSecretName: exposure.tlsSecret,
    className: exposure.className,
    annotations: exposure.annotations,
    serviceNames,
  };
}

/** The path the Ingress routes to a model's gateway (`/<resource name>`); none for other exposures. */
export function gatewayPathPrefix(exposure: ExposureConfig, resourceName: string): string | undefined {
  return exposure.type === "Ingress" ? `/${resourceName}` : undefined;
}
