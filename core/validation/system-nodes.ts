/**
 * On aws the routers run on the system node group: GPU nodes are tainted for vLLM, and a router
 * tolerates no taint. Each router pod must fit a system node, and all of them the group at once,
 * or they stay Pending while `apply` succeeds and the model's endpoint has no backend.
 *
 * A lower bound: only the kit's router pods and EKS's DaemonSets are counted. CoreDNS, the load
 * balancer controller and the monitoring charts also run there, so a file this check accepts
 * can still be too tight; one it refuses cannot work.
 */
import { findAwsSystemInstance } from "../catalog/aws-instances";
import { EKS_NODE_DAEMONSETS, eksNodeAllocatable } from "../aws/node-allocatable";
import type { ConfigIssue } from "../errors";
import { GATEWAY_REQUESTS, NO_REQUESTS, ROUTER_REQUESTS, addRequests, type ResourceRequests } from "../pod-resources";
import { DEFAULT_ROUTER_REPLICAS, isRouted } from "../scale/routing";
import type { EnvironmentConfig } from "../schema";
import type { ModelOnPool } from "./planning";
import { cpu, memory } from "./scheduling";

/** One router pod: the router and the gateway sidecar that guards its API key. */
export const ROUTER_POD_REQUESTS: ResourceRequests = addRequests(ROUTER_REQUESTS, GATEWAY_REQUESTS);

export function systemNodeIssues(file: string, config: EnvironmentConfig, models: readonly Pick<ModelOnPool, "config">[]): ConfigIssue[] {
  if (config.target.kind !== "aws") return [];
  const { instanceType, nodes } = config.target.systemNodes;
  const instance = findAwsSystemInstance(instanceType);
  const routerPods = models
    .filter((model) => isRouted(model.config))
    .flatMap((model) => Array.from({ length: model.config.router?.replicas ?? DEFAULT_ROUTER_REPLICAS }, () => model.config.servedName));
  if (!instance || routerPods.length === 0) return [];
  const allocatable = eksNodeAllocatable(instance);
  const room = {
    cpuMilli: allocatable.cpuMilli - EKS_NODE_DAEMONSETS.cpuMilli,
    memoryMiB: allocatable.memoryMiB - EKS_NODE_DAEMONSETS.memoryMiB,
  };
  const pod = ROUTER_POD_REQUESTS;
  // Spread as the scheduler would place them, one at a time wherever there is room.
  const free = Array.from({ length: nodes }, () => ({ ...room }));
  let unplaced = 0;
  for (let placed = 0; placed < routerPods.length; placed++) {
    const node = free.find((n) => n.cpuMilli >= pod.cpuMilli && n.memoryMiB >= pod.memoryMiB);
    if (!node) {
      unplaced += 1;
      continue;
    }
    node.cpuMilli -= pod.cpuMilli;
    node.memoryMiB -= pod.memoryMiB;
  }
  if (unplaced === 0) return [];
  const total = routerPods.reduce((sum) => addRequests(sum, pod), NO_REQUESTS);
  return [
    {
      file,
      field: "target.systemNodes.nodes",
      message:
        `the ${routerPods.length} router pods (${[...new Set(routerPods)].join(", ")}) request ${cpu(total.cpuMilli)} and ${memory(total.memoryMiB)} in all; ` +
        `${nodes} ${instance.id} system node(s) with ${cpu(room.cpuMilli)} and ${memory(room.memoryMiB)} each for pods leave ${unplaced} of them Pending`,
      fix: "raise target.systemNodes.nodes, choose a larger target.systemNodes.instanceType, or fewer router replicas (models[].router.replicas)",
    },
  ];
}
