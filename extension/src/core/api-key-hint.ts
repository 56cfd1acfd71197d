/**
 * Where to find a deployment's API key, for the key prompt: read from the endpoint's
 * `api_key_secret` (core/contract/outputs.ts), which names where the key is, never the key.
 */
import { API_KEY_SECRET_KEY, apiKeyLocation } from "../../../core/contract/outputs";

export function apiKeyHint(apiKeySecret: string | undefined): string {
  if (!apiKeySecret) return "The API key the server was started with (vLLM's --api-key / VLLM_API_KEY).";
  const where = apiKeyLocation(apiKeySecret);
  if (where.kind === "file")
    return `From the key file on the Docker host: cat ${where.path} (there, or over SSH: ssh <host> cat ${where.path})`;
  return `From the Kubernetes Secret ${apiKeySecret}: kubectl -n ${where.namespace} get secret ${where.name} -o jsonpath='{.data.${API_KEY_SECRET_KEY}}' | base64 -d`;
}
