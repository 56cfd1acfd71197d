/**
 * A stand-in for the Kubernetes API on 127.0.0.1, enough for `npm run connect`: it lists a
 * model's pods and serves the pods' `portforward` subresource over WebSocket with the channel
 * protocol (`v4.channel.k8s.io`: each binary frame starts with its channel byte; data on channel
 * 0, errors on 1; the first frame of each channel carries the port as two bytes, little-endian),
 * connecting each forward to a local port standing in for the pod's.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface FakePod {
  name: string;
  ready: boolean;
  /** Pod port → local port that plays it. */
  ports: Record<number, number>;
}

export class FakeKubeApi {
  pods: FakePod[] = [];
  readonly podListQueries: string[] = [];
  readonly forwards: { pod: string; port: number }[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly open = new Map<string, Set<WebSocket>>();

  private constructor() {
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => (protocols.has("v4.channel.k8s.io") ? "v4.channel.k8s.io" : false),
    });
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://api");
      const list = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
      if (req.method === "GET" && list) {
        this.podListQueries.push(`${list[1]}?${url.searchParams.get("labelSelector")}`);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: {}, items: this.pods.map((p) => podObject(list[1], p)) }));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", status: "Failure", code: 404 }));
    });
    this.server.on("connection", (s: net.Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://api");
      const match = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
      const pod = this.pods.find((p) => p.name === match?.[1]);
      const port = Number(url.searchParams.get("ports"));
      const local = pod?.ready ? pod.ports[port] : undefined;
      if (!match || local === undefined) {
        socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
        return;
      }
      this.forwards.push({ pod: match[1], port });
      wss.handleUpgrade(req, socket, head, (ws) => {
        const streams = this.open.get(match[1]) ?? new Set<WebSocket>();
        streams.add(ws);
        ws.on("close", () => streams.delete(ws));
        this.open.set(match[1], streams);
        this.pipe(ws, port, local);
      });
    });
  }

  static async start(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", () => resolve()));
    return api;
  }

  /** Replaces the pods; a pod that is gone or no longer Ready loses its open forwards, as on a real node. */
  setPods(pods: FakePod[]): void {
    this.pods = pods;
    for (const [name, streams] of this.open) {
      if (!pods.some((p) => p.name === name && p.ready)) for (const ws of streams) ws.terminate();
    }
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A kubeconfig whose context `test` points at this server. */
  kubeconfig(): string {
    return [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      // client-node refuses plain HTTP unless TLS verification is off: this stand-in has no TLS.
      `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
      "users:",
      "- name: tester\n  user:\n    token: not-a-real-token",
      "contexts:",
      "- name: test\n  context:\n    cluster: fake\n    user: tester",
      "current-context: test",
      "",
    ].join("\n");
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(ws: WebSocket, port: number, local: number): void {
    const portBytes = Buffer.from([port & 0xff, port >> 8]);
    ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
    ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
    const upstream = net.connect(local, "127.0.0.1");
    upstream.on("data", (data: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), data])));
    upstream.on("close", () => ws.close());
    upstream.on("error", () => ws.close());
    ws.on("message", (data: Buffer) => {
      if (data[0] === 0) upstream.write(data.subarray(1));
    });
    ws.on("close", () => upstream.destroy());
  }
}

function podObject(namespace: string, pod: FakePod): unknown {
  return {
    metadata: { name: pod.name, namespace, creationTimestamp: "2026-11-26T10:00:00Z" },
    status: { phase: "Running", conditions: [{ type: "Ready", status: pod.ready ? "True" : "False" }] },
  };
}
