/**
 * Port-forwards for an environment's in-cluster (ClusterIP) endpoints: the one path `connect`,
 * `doctor --env` and `loadtest --env` take to reach a model from a laptop. The environment file
 * names the cluster (kubeconfig and context) and the serving namespace.
 */
import type { Environment } from "../../core/load-environment";
import { forwardTarget, isInClusterHost, servingModelName } from "../../core/ops/connect-plan";
import type { Endpoint } from "../../extension/src/core/outputs";
import { UsageError } from "../args";
import type { ClusterAccess, LocalForward } from "./kube-forward";

export interface Forwards {
  /** Local base URL per served model (`http://127.0.0.1:<port>/v1`). */
  baseUrls: Map<string, string>;
  /** Local vLLM /metrics URL per served model. */
  metricsUrls: Map<string, string>;
  close(): Promise<void>;
}

export interface ForwardOptions {
  /** First local port (API and metrics ports of each model follow); 0 picks free ports. */
  firstPort: number;
  kubeconfig?: string;
  context?: string;
  timeoutMs: number;
  log: (line: string) => void;
}

export function needsForward(endpoint: Endpoint): boolean {
  return isInClusterHost(new URL(endpoint.baseUrl).hostname);
}

/** The cluster to talk to: the environment's kubeconfig context, or the flags' override. */
export function clusterAccess(environment: Environment, kubeconfig: string | undefined, context: string | undefined): ClusterAccess {
  const target = environment.config.target;
  if (target.kind === "kubernetes") return { kubeconfig: kubeconfig ?? target.kubeconfig, context: context ?? target.context };
  if (target.kind === "docker") {
    throw new UsageError(
      `${environment.name} is a docker environment: its gateway is published on ${target.bindAddress}:${target.ports.gateway}, no cluster to reach`,
    );
  }
  if (context === undefined) {
    throw new UsageError(
      `${environment.name} is an aws environment: write its kubeconfig with \`aws eks update-kubeconfig --region ${target.region} --name <cluster>\` and pass --context with the context it adds`,
    );
  }
  return { kubeconfig: kubeconfig ?? "~/.kube/config", context };
}

export async function openForwards(environment: Environment, endpoints: readonly Endpoint[], options: ForwardOptions): Promise<Forwards> {
  const inCluster = endpoints.filter(needsForward);
  const baseUrls = new Map<string, string>();
  const metricsUrls = new Map<string, string>();
  const opened: LocalForward[] = [];
  const close = async () => {
    await Promise.all(opened.map((f) => f.close()));
  };
  if (inCluster.length === 0) return { baseUrls, metricsUrls, close };
  // Loaded only when needed: the Kubernetes client is large and most runs never use it.
  const { connectCluster, forwardPort } = await import("./kube-forward");
  const cluster = connectCluster(clusterAccess(environment, options.kubeconfig, options.context));
  try {
    for (const [index, endpoint] of inCluster.entries()) {
      // A LoRA adapter's endpoint is served by its model's pods.
      const target = forwardTarget(servingModelName(environment.models, endpoint.servedModelName), environment.config.namespace);
      const port = (offset: number) => (options.firstPort === 0 ? 0 : options.firstPort + index * 2 + offset);
      const api = await forwardPort(cluster, target, target.apiPort, port(0), options.log, options.timeoutMs);
      opened.push(api);
      const metrics = await forwardPort(cluster, target, target.metricsPort, port(1), options.log, options.timeoutMs);
      opened.push(metrics);
      baseUrls.set(endpoint.servedModelName, `http://127.0.0.1:${api.port}/v1`);
      metricsUrls.set(endpoint.servedModelName, `http://127.0.0.1:${metrics.port}/metrics`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { baseUrls, metricsUrls, close };
}
