/** Names derived from served model names, so no name is typed twice. */

/** Kubernetes object name of a model's Deployment, Service, PVC, …: `aicockpit-qwen2-5-coder-7b`. */
export function modelResourceName(servedName: string): string {
  const slug = servedName
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return `aicockpit-${slug}`.slice(0, 63).replace(/-$/, "");
}

/** Stack name of an environment: `aicockpit-local`. */
export function stackName(environment: string): string {
  return `aicockpit-${environment}`;
}

export { API_KEY_SECRET_KEY } from "./contract/outputs";

/** Name of the Secret holding the API key: the kit's generated one, or the user's own. */
export function apiKeySecretName(apiKey: { generate: true } | { existingSecret: { name: string } }): string {
  return "existingSecret" in apiKey ? apiKey.existingSecret.name : "aicockpit-api-key";
}

/** Labels every vLLM pod carries; the monitoring PodMonitor and NetworkPolicies select on them. */
export function vllmPodLabels(servedName: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "vllm",
    "app.kubernetes.io/part-of": "aicockpit",
    "app.kubernetes.io/instance": modelResourceName(servedName),
    "aicockpit.dev/model": servedName,
  };
}

/** Name of a model's cache warm-up Job: its resource name with `-warmup`, cut to Kubernetes' 63 characters. */
export function warmupJobName(servedName: string): string {
  const suffix = "-warmup";
  return `${modelResourceName(servedName)
    .slice(0, 63 - suffix.length)
    .replace(/-$/, "")}${suffix}`;
}

/**
 * Labels of a model's cache warm-up Job pod: its own `name`, so neither the model's Service, its
 * router nor its PodDisruptionBudget ever selects it; the same `instance` as the model's pods.
 */
export function warmupPodLabels(servedName: string): Record<string, string> {
  return { ...vllmPodLabels(servedName), "app.kubernetes.io/name": "model-cache-warmup" };
}

/** Ports of a vLLM pod: vLLM itself (API + /metrics) and the gateway that admits only the API. */
export const VLLM_PORT = 8000;
export const GATEWAY_PORT = 8080;
export const SERVICE_PORT = 8000;
