/**
 * How a vLLM container gets the API key on docker. The Docker provider stores a container's
 * `env` and uploaded file contents in Terraform state in plain text, so the key is neither: the
 * user's key file is bind-mounted read-only and read when the server starts. Only its path is
 * in state (docs/deploy-docker.md, "The API key").
 */
import { VLLM_COMMAND } from "../vllm-server-spec";

/** Where the key file is mounted in each vLLM container. */
export const DOCKER_API_KEY_PATH = "/run/secrets/aicockpit-api-key";

/**
 * The container's command: a shell reads the key file and execs vLLM's server with `args` and
 * `--api-key`. The arguments stay separate argv entries ("$@"), never joined into the script.
 */
export function vllmCommandWithKeyFile(args: readonly string[]): string[] {
  const script = `key="$(cat ${DOCKER_API_KEY_PATH})" && [ -n "$key" ] || { echo "no API key in ${DOCKER_API_KEY_PATH}" >&2; exit 1; }; exec "$@" --api-key "$key"`;
  return ["/bin/sh", "-c", script, "vllm", ...VLLM_COMMAND, ...args];
}
