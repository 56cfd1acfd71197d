/**
 * How the pods of a replica that spans nodes (a LeaderWorkerSet group) start, following vLLM's
 * own multi-node helper (vllm-project/vllm `examples/ray_serving/multi-node-serving.sh`, main @
 * 455edc02, 2026-08-17; `examples/online_serving/` before): workers retry joining the leader's
 * Ray head until it answers, and the leader waits until the group's Ray cluster has every node
 * before it starts vLLM, which then places its ranks on them. Unlike that script, the leader
 * exits (and LWS recreates the group) when the workers do not arrive in time, instead of
 * starting vLLM on a partial cluster.
 *
 * The scripts are fixed text: no environment value is interpolated into them. vLLM's argv
 * (model, served name, extraArgs) reaches the leader as the container's `args`, which bash
 * passes to the script as "$@" and the script hands to `exec` unchanged, one argument each.
 * Kubernetes expands `$(NAME)` in command and args and Terraform `${…}` in any string, so the
 * scripts use neither (`$NAME` and `((…))` only).
 */
/** Ray's head port on the leader (Ray's default, as vLLM's helper uses). */
export const RAY_PORT = 6379;

/**
 * How long the leader waits for the workers, and the workers retry joining: long enough for a
 * fresh node to pull the multi-GiB vLLM image. vLLM's helper waits 300 s.
 */
export const RAY_GROUP_TIMEOUT_SECONDS = 900;
const RETRY_SECONDS = 5;
const ATTEMPTS = RAY_GROUP_TIMEOUT_SECONDS / RETRY_SECONDS;

/** `$0` of the scripts: what `ps` and error messages call them. */
const LEADER_NAME = "aicockpit-ray-leader";
const WORKER_NAME = "aicockpit-ray-worker";

/**
 * Counts the Ray nodes alive against LWS_GROUP_SIZE (the group's pod count, which LWS puts in
 * every pod's environment); exits 0 once all are there. As vLLM's helper counts them.
 */
const COUNT_RAY_NODES = [
  "import os, ray",
  "ray.init()",
  'alive = sum(1 for node in ray.nodes() if node["Alive"])',
  'wanted = int(os.environ["LWS_GROUP_SIZE"])',
  'print("Ray nodes alive:", alive, "of", wanted, flush=True)',
  "raise SystemExit(0 if alive >= wanted else 1)",
].join("; ");

/** The leader: a Ray head, then vLLM (the script's arguments) once every worker has joined. */
export const RAY_LEADER_SCRIPT = [
  "set -u",
  `ray start --head --port=${RAY_PORT} --disable-usage-stats`,
  "attempt=0",
  `until python3 -c '${COUNT_RAY_NODES}'; do`,
  "  ((attempt += 1))",
  `  if ((attempt >= ${ATTEMPTS})); then`,
  `    echo "the group's Ray workers did not all join within ${RAY_GROUP_TIMEOUT_SECONDS} s; exiting so the group restarts" >&2`,
  "    exit 1",
  "  fi",
  `  sleep ${RETRY_SECONDS}`,
  "done",
  'exec "$@"',
].join("\n");

/** A worker: joins the leader's Ray head, retrying while the leader starts; then stays in it. */
export const RAY_WORKER_SCRIPT = [
  "set -u",
  "attempt=0",
  `until ray start --address="$LWS_LEADER_ADDRESS:${RAY_PORT}" --block; do`,
  "  ((attempt += 1))",
  `  if ((attempt >= ${ATTEMPTS})); then`,
  `    echo "could not join the Ray head at $LWS_LEADER_ADDRESS:${RAY_PORT} within ${RAY_GROUP_TIMEOUT_SECONDS} s" >&2`,
  "    exit 1",
  "  fi",
  '  echo "Ray head not reachable yet; retrying"',
  `  sleep ${RETRY_SECONDS}`,
  "done",
].join("\n");

/** A container's command and args. */
export interface ContainerEntry {
  readonly command: string[];
  readonly args?: string[];
}

/** The leader's vLLM container: the fixed script, and vLLM's whole argv (command first) as separate arguments. */
export function rayLeaderEntry(vllmArgv: readonly string[]): ContainerEntry {
  return { command: ["/bin/bash", "-c", RAY_LEADER_SCRIPT, LEADER_NAME], args: [...vllmArgv] };
}

/** A worker's container: the fixed script; it takes no arguments. */
export function rayWorkerEntry(): ContainerEntry {
  return { command: ["/bin/bash", "-c", RAY_WORKER_SCRIPT, WORKER_NAME] };
}
