/**
 * The gateway's nginx configuration (core/gateway-config.ts) run by a real nginx (Debian's
 * package, .ci/system-packages.sh) as a plain process on a loopback port, in front of the vLLM
 * fixture. Only the listen port, the upstream port and the include path are adapted; every
 * location is the generated one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { FIM_SPECS, GATEWAY_TOKENIZE_PATH, tokenizeRequest, tokenizeResponseSchema } from "../../core/contract/fim";
import { GATEWAY_PROXY_SETTINGS, gatewayConfig } from "../../core/gateway-config";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { openAiScript } from "../fixtures/vllm/openai-script";
import { VllmFixture } from "../fixtures/vllm/server";

const KEY = "gateway-test-key";
const PREFIX = "/aicockpit-coder";

function requireNginx(): string {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx"]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(
    "nginx is not installed. The gateway test runs Debian's nginx package: run `bash .ci/system-packages.sh` (as root or with sudo).",
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The generated server block with the kit's ports and include path pointed at this test's. */
function adaptedServerBlock(dir: string, port: number, upstreamPort: number): string {
  const generated = gatewayConfig(PREFIX);
  expect(generated).toContain(`listen ${GATEWAY_PORT};`);
  return generated
    .replace(`listen ${GATEWAY_PORT};`, `listen 127.0.0.1:${port};`)
    .replaceAll(`127.0.0.1:${VLLM_PORT}`, `127.0.0.1:${upstreamPort}`)
    .replaceAll("/etc/nginx/conf.d/proxy.inc", path.join(dir, "proxy.inc"));
}

let fixture: VllmFixture;
let nginx: ChildProcess;
let dir: string;
let gateway: string;
let nginxLog = "";

beforeAll(async () => {
  const binary = requireNginx();
  fixture = await VllmFixture.start({ apiKey: KEY, servedModelNames: ["coder"] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-gateway-"));
  const port = await freePort();
  gateway = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(dir, "proxy.inc"), GATEWAY_PROXY_SETTINGS);
  // One process, no daemon, every path under the temp dir: runs as whoever runs the tests.
  const temp = (name: string) => path.join(dir, name);
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `daemon off;
master_process off;
pid ${temp("nginx.pid")};
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${temp("client_body")};
  proxy_temp_path ${temp("proxy")};
  fastcgi_temp_path ${temp("fastcgi")};
  uwsgi_temp_path ${temp("uwsgi")};
  scgi_temp_path ${temp("scgi")};
${adaptedServerBlock(dir, port, fixture.port)}
}
`,
  );
  nginx = spawn(binary, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"], { stdio: ["ignore", "ignore", "pipe"] });
  nginx.stderr?.on("data", (chunk: Buffer) => (nginxLog += chunk.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}: ${nginxLog}`);
    try {
      await fetch(`${gateway}/nope`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen within 10 s: ${nginxLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx.once("exit", r));
    nginx.kill("SIGTERM");
    await exited;
  }
  await fixture?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const tokenize = (urlPath: string, key?: string) =>
  fetch(`${gateway}${urlPath}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(tokenizeRequest("coder", FIM_SPECS.qwen.markers.prefix)),
  });

describe("the gateway's /v1/tokenize", () => {
  test("with the right key: vLLM's /tokenize answers through the gateway", async () => {
    const response = await tokenize(GATEWAY_TOKENIZE_PATH, KEY);
    expect(response.status).toBe(200);
    const body = tokenizeResponseSchema.parse(await response.json());
    expect(body.tokens).toHaveLength(1);
    // The key check went to /v1/models first, then the body reached /tokenize.
    expect(fixture.requestsTo("/v1/models").at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fixture.requestsTo("/tokenize").at(-1)?.body).toEqual(tokenizeRequest("coder", FIM_SPECS.qwen.markers.prefix));
  });

  test("under the Ingress path prefix too", async () => {
    const response = await tokenize(`${PREFIX}${GATEWAY_TOKENIZE_PATH}`, KEY);
    expect(response.status).toBe(200);
    expect(tokenizeResponseSchema.parse(await response.json()).count).toBe(1);
  });

  test.each([
    ["a wrong key", "not-the-key"],
    ["no key", undefined],
  ])("with %s: 401, and vLLM's /tokenize is never called", async (_what, key) => {
    const before = fixture.requestsTo("/tokenize").length;
    const response = await tokenize(GATEWAY_TOKENIZE_PATH, key);
    expect(response.status).toBe(401);
    expect(fixture.requestsTo("/tokenize").length).toBe(before);
  });
});

describe("everything outside /v1 stays closed", () => {
  test.each(["/tokenize", "/metrics", "/docs", "/version", "/__aicockpit_auth"])("%s → 404 (with the key too)", async (urlPath) => {
    const before = fixture.requests.length;
    for (const method of ["GET", "POST"]) {
      const response = await fetch(`${gateway}${urlPath}`, { method, headers: { authorization: `Bearer ${KEY}` } });
      expect(response.status).toBe(404);
    }
    expect(fixture.requests.length).toBe(before);
  });
});

describe("the rest of /v1 still works", () => {
  test("a streamed completion arrives in several reads, not buffered into one", async () => {
    const script = openAiScript(fixture);
    script.completionQueue.push(Array.from({ length: 12 }, (_, i) => `w${i}`).join(" "));
    script.tokensPerSecond = 50;
    try {
      const response = await fetch(`${gateway}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: "coder", prompt: "x", stream: true, max_tokens: 64 }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const arrivals: number[] = [];
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arrivals.push(Date.now());
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain("data: [DONE]");
      expect(text).toContain("w11");
      expect(arrivals.length).toBeGreaterThanOrEqual(5);
      expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(200);
    } finally {
      script.tokensPerSecond = 0;
    }
  });

  test("a wrong key on /v1/completions is vLLM's own 401", async () => {
    const response = await fetch(`${gateway}/v1/completions`, { method: "POST", headers: { authorization: "Bearer nope" }, body: "{}" });
    expect(response.status).toBe(401);
  });
});
