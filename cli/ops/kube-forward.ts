/**
 * Port-forwards from 127.0.0.1 to a model's pods through the Kubernetes API, with
 * @kubernetes/client-node (1.4.0: `PortForward.portForward(namespace, pod, [port], output, err,
 * input)` opens one WebSocket per local connection to the pod's `portforward` subresource, as
 * `kubectl port-forward` does; read in the package's dist/portforward.js, 2026-11-26). Each new
 * local connection goes to a Ready pod of the model, found again whenever the last one failed, so
 * a restarted or rescheduled pod is picked up without restarting the forward.
 */
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig, PortForward, type V1Pod } from "@kubernetes/client-node";
import type { ForwardTarget } from "../../core/ops/connect-plan";
import { CommandError } from "./command";

export interface ClusterAccess {
  kubeconfig: string;
  context: string;
}

export interface Cluster {
  forward: PortForward;
  core: CoreV1Api;
}

/** Reads the kubeconfig and selects the context; a short error when either is wrong. */
export function connectCluster(access: ClusterAccess): Cluster {
  const file = access.kubeconfig.replace(/^~(?=$|\/)/, os.homedir());
  const config = new KubeConfig();
  try {
    config.loadFromFile(path.resolve(file));
  } catch (error) {
    throw new CommandError(`cannot read the kubeconfig ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!config.getContexts().some((c) => c.name === access.context)) {
    throw new CommandError(
      `the kubeconfig ${file} has no context "${access.context}" (it has: ${
        config
          .getContexts()
          .map((c) => c.name)
          .join(", ") || "none"
      })`,
    );
  }
  config.setCurrentContext(access.context);
  return { forward: new PortForward(config), core: config.makeApiClient(CoreV1Api) };
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.phase === "Running" &&
    (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True") &&
    !pod.metadata?.deletionTimestamp
  );
}

/** The name of a Ready pod of the target (the newest), or why there is none. */
export async function readyPod(cluster: Cluster, target: ForwardTarget, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandError(`the Kubernetes API did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const list = await Promise.race([
      cluster.core.listNamespacedPod({ namespace: target.namespace, labelSelector: target.labelSelector }),
      timeout,
    ]);
    const ready = list.items
      .filter(isReady)
      .sort((a, b) => String(b.metadata?.creationTimestamp ?? "").localeCompare(String(a.metadata?.creationTimestamp ?? "")));
    if (ready.length === 0) {
      throw new CommandError(
        `no Ready pod of ${target.servedName} in namespace ${target.namespace} (${list.items.length} pods match ${target.labelSelector}): see \`kubectl -n ${target.namespace} get pods -l ${target.labelSelector}\``,
      );
    }
    return ready[0].metadata!.name!;
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const e = error as { code?: number | string; cause?: { code?: string }; message?: string };
    throw new CommandError(
      `cannot list the pods of ${target.servedName} in ${target.namespace}: ${e.cause?.code ?? e.code ?? e.message ?? String(error)}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

export interface LocalForward {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`localPort` (0: a free port) and forwards each connection to `podPort` of a
 * Ready pod. `log` hears about pod changes and failures (never about traffic).
 */
export async function forwardPort(
  cluster: Cluster,
  target: ForwardTarget,
  podPort: number,
  localPort: number,
  log: (line: string) => void,
  timeoutMs: number,
): Promise<LocalForward> {
  let pod: string | undefined = await readyPod(cluster, target, timeoutMs);
  log(`${target.servedName}: forwarding to pod ${pod}:${podPort}`);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    void (async () => {
      try {
        if (pod === undefined) {
          pod = await readyPod(cluster, target, timeoutMs);
          log(`${target.servedName}: reconnected to pod ${pod}:${podPort}`);
        }
        const ws = await cluster.forward.portForward(target.namespace, pod, [podPort], socket, null, socket);
        const closeSocket = () => socket.destroy();
        if (typeof ws === "function") return;
        ws.on("close", closeSocket);
        ws.on("error", () => {
          pod = undefined;
          closeSocket();
        });
        socket.on("close", () => ws.close());
      } catch (error) {
        // The pod went away (or the API refused): find another one on the next connection.
        pod = undefined;
        log(
          `${target.servedName}: forward failed (${error instanceof CommandError ? error.message : ((error as Error).message ?? String(error))}); retrying with the next connection`,
        );
        socket.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new CommandError(`cannot listen on 127.0.0.1:${localPort}: ${error.code ?? error.message}`)),
    );
    server.listen(localPort, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
