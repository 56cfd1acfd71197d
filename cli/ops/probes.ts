/**
 * doctor's network probes, each bounded by a timeout: name resolution, the TLS handshake, plain
 * requests. They report what happened (an answer, or an error code); verdicts are made elsewhere.
 */
import dns from "node:dns";
import net from "node:net";
import tls from "node:tls";
import { Agent, request } from "undici";
import type { TlsFacts } from "../../core/ops/tls-verdict";

export type ProbeError = { error: string };

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: "TIMEOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorCode(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error);
}

/** The host's addresses (an IP literal resolves to itself). */
export async function resolveHost(host: string, timeoutMs: number): Promise<string[] | ProbeError> {
  if (net.isIP(host)) return [host];
  try {
    const addresses = await withTimeout(dns.promises.lookup(host, { all: true }), timeoutMs, "DNS lookup");
    return addresses.map((a) => a.address);
  } catch (error) {
    return { error: errorCode(error) };
  }
}

/** The server's certificate and Node's verdict on it, without sending anything. */
export function inspectTls(url: URL, timeoutMs: number): Promise<TlsFacts | ProbeError> {
  return new Promise((resolve) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const socket = tls.connect({
      host,
      port: Number(url.port || 443),
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (result: TlsFacts | ProbeError) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("timeout", () => done({ error: `TLS handshake timed out after ${timeoutMs} ms` }));
    socket.once("error", (error) => done({ error: errorCode(error) }));
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate(true);
      if (!cert || !cert.valid_to) return done({ error: "the server sent no certificate" });
      const chain: string[] = [];
      let current: tls.DetailedPeerCertificate | undefined = cert;
      const seen = new Set<string>();
      while (current && !seen.has(current.fingerprint256)) {
        seen.add(current.fingerprint256);
        const name = current.subject?.CN ?? current.subject?.O ?? "(no name)";
        chain.push(Array.isArray(name) ? name.join(", ") : name);
        current = current.issuerCertificate;
      }
      const hostnameError = tls.checkServerIdentity(host, cert)?.message;
      done({
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        hostnameError,
        validFrom: new Date(cert.valid_from),
        validTo: new Date(cert.valid_to),
        chain,
      });
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

const MAX_BODY = 1_000_000;

/** One request with its answer read (at most 1 MB), or the error code. */
export async function httpRequest(
  url: string,
  options: { method?: "GET" | "POST"; apiKey?: string; body?: unknown; timeoutMs: number },
): Promise<HttpAnswer | ProbeError> {
  const dispatcher = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  try {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const answer = await withTimeout(
      request(url, {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        dispatcher,
      }),
      options.timeoutMs,
      "request",
    );
    let body = "";
    for await (const chunk of answer.body) {
      if (body.length < MAX_BODY) body += (chunk as Buffer).toString("utf8");
    }
    return { status: answer.statusCode, body };
  } catch (error) {
    return { error: errorCode(error) };
  } finally {
    void dispatcher.destroy();
  }
}

export function isProbeError(value: unknown): value is ProbeError {
  return typeof value === "object" && value !== null && "error" in value;
}
