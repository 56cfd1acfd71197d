/**
 * The nginx `location` blocks of the kit's API gateways, declared once for both: the sidecar in
 * front of each vLLM pod (core/gateway-config.ts) and the docker target's one gateway in front of
 * every model (core/docker/gateway-config.ts). vLLM's API key guards only `/v1`, and vLLM serves
 * `/metrics`, `/tokenize`, `/version` and more beside it: clients get `/v1/*`, `/health` and
 * `/v1/tokenize` (behind the key) through the gateway; everything else answers 404.
 */
import { VLLM_TOKENIZE_PATH } from "./contract/fim";

/** Where a gateway forwards to: one vLLM server. */
export interface GatewayUpstream {
  /** `http://<host>:<port>`, no path. */
  readonly origin: string;
  /**
   * The host is a name resolved when a request comes (a variable `proxy_pass` with the server's
   * `resolver`), so nginx starts before the upstream exists: the docker gateway's containers.
   * Otherwise nginx resolves it once at start (the pod's own loopback address).
   */
  readonly resolvedPerRequest: boolean;
}

/** The shared proxy settings every forwarding location includes (GATEWAY_PROXY_SETTINGS). */
export const GATEWAY_PROXY_INCLUDE = "/etc/nginx/conf.d/proxy.inc";

/** Prefix of the internal locations of the API-key check; `internal` makes them unreachable from outside. */
export const KEY_CHECK_LOCATION = "/__aicockpit_auth";

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The directives that send the request to `upstreamPath` on the upstream. For a prefix location,
 * `upstreamPath` replaces the matched `prefix` (nginx's proxy_pass-with-URI rule, written as a
 * rewrite when the address is a variable, since nginx then passes the URI as it is).
 */
function forward(upstream: GatewayUpstream, upstreamPath: string, prefix?: string): string[] {
  if (!upstream.resolvedPerRequest) return [`proxy_pass ${upstream.origin}${upstreamPath};`];
  const rewrite =
    prefix === undefined ? `rewrite ^ ${upstreamPath} break;` : `rewrite ^${escapeRegex(prefix)}(.*)$ ${upstreamPath}$1 break;`;
  return [`set $upstream ${upstream.origin};`, rewrite, "proxy_pass $upstream;"];
}

function location(match: string, directives: readonly string[]): string {
  return `
  location ${match} {
${directives.map((directive) => `    ${directive}`).join("\n")}
  }`;
}

/** `<prefix>/v1/*` → vLLM's `/v1/*`, where vLLM checks the key itself. */
export function apiLocation(prefix: string, upstream: GatewayUpstream): string {
  const path = `${prefix}/v1/`;
  return location(path, [...forward(upstream, "/v1/", path), `include ${GATEWAY_PROXY_INCLUDE};`]);
}

/**
 * vLLM's `/tokenize` (outside `/v1`, so unauthenticated in vLLM) exposed at `path` behind the
 * same key: nginx's auth_request first asks `keyCheck` (keyCheckLocation), which vLLM's key
 * middleware answers 401 for a wrong or missing key. The extension checks the FIM markers with it.
 */
export function tokenizeLocation(path: string, upstream: GatewayUpstream, keyCheck: string): string {
  return location(`= ${path}`, [
    `auth_request ${keyCheck};`,
    ...forward(upstream, VLLM_TOKENIZE_PATH),
    `include ${GATEWAY_PROXY_INCLUDE};`,
  ]);
}

/**
 * The key check behind tokenizeLocation: vLLM's `/v1/models` asked with the caller's
 * Authorization header, without the body.
 */
export function keyCheckLocation(path: string, upstream: GatewayUpstream): string {
  return location(`= ${path}`, [
    "internal;",
    "proxy_method GET;",
    ...forward(upstream, "/v1/models"),
    "proxy_pass_request_body off;",
    'proxy_set_header Content-Length "";',
    "proxy_set_header Host $host;",
  ]);
}

/** vLLM's `/health` at `path`. */
export function healthLocation(path: string, upstream: GatewayUpstream): string {
  return location(`= ${path}`, forward(upstream, "/health"));
}

/** `path` forwarded to `url` on another gateway, which checks the key itself. */
export function passOnLocation(path: string, url: string): string {
  return location(`= ${path}`, [`proxy_pass ${url};`, `include ${GATEWAY_PROXY_INCLUDE};`]);
}

/** Everything no other location matches. */
export const NOT_FOUND_LOCATION = location("/", ["return 404;"]);
