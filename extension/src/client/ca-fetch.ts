/**
 * A `fetch` that trusts an extra CA (self-signed TLS on a private cluster) on top of Node's
 * bundled roots, for this client only — never by turning off verification process-wide.
 * Built on node:https because Node's own fetch takes a custom CA only through an undici
 * dispatcher, and undici is not a public module of Node.
 */
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import tls from "node:tls";

export function createCaFetch(caPem: string): typeof fetch {
  const agent = new https.Agent({ ca: [...tls.rootCertificates, caPem], keepAlive: true });
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? "GET").toUpperCase();
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
      const transport = url.protocol === "https:" ? https : http;
      const request = transport.request(url, {
        method,
        headers,
        agent: url.protocol === "https:" ? agent : undefined,
        signal: init?.signal ?? undefined,
      });
      request.on("response", (res) => {
        const responseHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        const status = res.statusCode ?? 500;
        const empty = method === "HEAD" || status === 204 || status === 304;
        if (empty) res.resume();
        const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers: responseHeaders }));
      });
      request.on("error", reject);
      const body = init?.body;
      if (body !== undefined && body !== null) {
        if (typeof body !== "string" && !(body instanceof Uint8Array)) {
          request.destroy();
          reject(new TypeError("createCaFetch only sends string or byte bodies"));
          return;
        }
        request.write(body);
      }
      request.end();
    });
}
