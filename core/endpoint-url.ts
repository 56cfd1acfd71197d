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

/** The OpenAI base URL clients use for a model, by exposure. */
export function endpointUrl(exposure: ExposureConfig, servedName: string, namespace: string, deployTime: DeployTimeAddress): string {
  const name = modelResourceName(servedName);
  switch (exposure.type) {
    case "ClusterIP":
      return `http://${name}.${namespace}.svc.cluster.local:${SERVICE_PORT}/v1`;
    case "NodePort":
      return `http://${exposure.host}:${exposure.nodePort ?? deployTime.nodePort}/v1`;
    case "LoadBalancer":
      return `http://${deployTime.loadBalancerHost}:${SERVICE_PORT}/v1`;
    case "Ingress":
      return `https://${exposure.host}/${name}/v1`;
  }
}
