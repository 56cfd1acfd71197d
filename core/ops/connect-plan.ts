/**
 * What `npm run connect` forwards and the outputs file it writes. A ClusterIP endpoint's base URL
 * (`http://<service>.<namespace>.svc.cluster.local:8000/v1`) only resolves inside the cluster; a
 * laptop reaches the model through a port-forward to one of its pods: the gateway port for the
 * API (the same routes and key check as the Service), vLLM's own port for its metrics.
 */
import { endpointOutputId, ENVIRONMENT_OUTPUT_ID, type EndpointOutput } from "../contract/outputs";
import { GATEWAY_PORT, stackName, VLLM_PORT, vllmPodLabels } from "../names";
import { servedNames, type LoraConfig } from "../schema/serving-options";

export interface ForwardTarget {
  servedName: string;
  namespace: string;
  /** Selects the model's pods (the labels every vLLM pod carries). */
  labelSelector: string;
  /** The pod's gateway port: the API as clients see it. */
  apiPort: number;
  /** vLLM's port: /metrics, for doctor's KV-cache check. */
  metricsPort: number;
}

/** Hosts only a cluster's DNS resolves. */
export function isInClusterHost(host: string): boolean {
  return host.endsWith(".svc.cluster.local") || host.endsWith(".svc");
}

/**
 * The model whose pods serve an endpoint: the endpoint's own name, or, for a LoRA adapter, the
 * model it runs on (its pods carry the model's name).
 */
export function servingModelName(models: readonly { config: { servedName: string; lora?: LoraConfig } }[], servedName: string): string {
  return models.find((model) => servedNames(model.config).includes(servedName))?.config.servedName ?? servedName;
}

export function forwardTarget(servedName: string, namespace: string): ForwardTarget {
  const labelSelector = Object.entries(vllmPodLabels(servedName))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return { servedName, namespace, labelSelector, apiPort: GATEWAY_PORT, metricsPort: VLLM_PORT };
}

/**
 * An outputs file (the `cdktf deploy --outputs-file` shape: stack → outputs) for one environment's
 * endpoints, each base URL replaced by its local one when it has one.
 */
export function outputsWithBaseUrls(
  environment: string,
  endpoints: readonly EndpointOutput[],
  localBaseUrls: ReadonlyMap<string, string>,
): Record<string, Record<string, unknown>> {
  const outputs: Record<string, unknown> = { [ENVIRONMENT_OUTPUT_ID]: environment };
  for (const endpoint of endpoints) {
    outputs[endpointOutputId(endpoint.served_model_name)] = {
      ...endpoint,
      base_url: localBaseUrls.get(endpoint.served_model_name) ?? endpoint.base_url,
    } satisfies EndpointOutput;
  }
  return { [stackName(environment)]: outputs };
}
