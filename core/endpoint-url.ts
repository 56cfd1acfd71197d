import { SERVICE_PORT, modelResourceName } from "./names";
import type { ExposureConfig } from "./schema/serving";

/** Parts of a URL only known once deployed: Terraform expressions in outputs, placeholders in summaries. */
export interface DeployTimeAddress {
  nodePort: string;
  loadBalancerHost: string;
}

export const SUMMARY_PLACEHOLDERS: DeployTimeAddress = {
  nodePort: "<node port>",
  loadBalancerHost: "<load balancer address>",
};

type NodePortExposure = Extract<ExposureConfig, { type: "NodePort" }>;

/**
 * Node port of the `modelIndex`-th model's Service: `nodePort` is the first model's, each further
 * model takes the next one; undefined lets Kubernetes pick.
 */
export function modelNodePort(exposure: NodePortExposure, modelIndex: number): number | undefined {
  return exposure.nodePort === undefined ? undefined : exposure.nodePort + modelIndex;
}

/** The OpenAI base URL clients use for a model (the `modelIndex`-th of its environment), by exposure. */
export function endpointUrl(
  exposure: ExposureConfig,
  servedName: string,
  modelIndex: number,
  namespace: string,
  deployTime: DeployTimeAddress,
): string {
  const name = modelResourceName(servedName);
  switch (exposure.type) {
    case "ClusterIP":
      return `http://${name}.${namespace}.svc.cluster.local:${SERVICE_PORT}/v1`;
    case "NodePort":
      return `http://${exposure.host}:${modelNodePort(exposure, modelIndex) ?? deployTime.nodePort}/v1`;
    case "LoadBalancer":
      return `http://${deployTime.loadBalancerHost}:${SERVICE_PORT}/v1`;
    case "Ingress":
      return `https://${exposure.host}/${name}/v1`;
  }
}
