/**
 * The LeaderWorkerSet API the kit deploys a replica spanning nodes as, declared once
 * (kubernetes-sigs/lws api/leaderworkerset/v1/leaderworkerset_types.go @ 024af084, read 2026-11-26).
 */

/** API group and version of the LeaderWorkerSet resource. */
export const LEADER_WORKER_SET_GROUP = "leaderworkerset.x-k8s.io";
export const LEADER_WORKER_SET_API_VERSION = `${LEADER_WORKER_SET_GROUP}/v1`;
export const LEADER_WORKER_SET_KIND = "LeaderWorkerSet";
/** Its resource name, as RBAC rules name it. */
export const LEADER_WORKER_SET_RESOURCE = "leaderworkersets";

/** The pod label LWS sets to a pod's index in its group (`WorkerIndexLabelKey`): 0 for the leader. */
export const WORKER_INDEX_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

/** The labels that select a group's leader, which runs vLLM's API server. */
export const LEADER_POD_LABELS: Readonly<Record<string, string>> = { [WORKER_INDEX_LABEL]: "0" };
