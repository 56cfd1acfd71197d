/**
 * The gateway's nginx configuration (core/gateway-config.ts) run by a real nginx (Debian's
 * package, .ci/system-packages.sh) as a plain process on a loopback port, in front of the vLLM
 * fixture. Only the listen port, the upstream port and the include path are adapted; every
 * location is the generated one.
 */
import { FIM_SPECS, GATEWAY_TOKENIZE_PATH, tokenizeRequest, tokenizeResponseSchema } from "../../core/contract/fim";
import { gatewayConfig } from "../../core/gateway-config";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { NginxProcess } from "../fixtures/nginx/nginx-process";
import { openAiScript } from "../fixtures/vllm/openai-script";
import { VllmFixture } from "../fixtures/vllm/server";

const KEY = "gateway-test-key";
const PREFIX = "/aicockpit-coder";

let fixture: VllmFixture;
let nginx: NginxProcess;
let gateway: string;

beforeAll(async () => {
  fixture = await VllmFixture.start({ apiKey: KEY, servedModelNames: ["coder"] });
  const generated = gatewayConfig(PREFIX);
  expect(generated).toContain(`listen ${GATEWAY_PORT};`);
  // Only the listen port and the upstream port are adapted.
  nginx = await NginxProcess.start(generated, (block, port) =>
    block.replace(`listen ${GATEWAY_PORT};`, `listen 127.0.0.1:${port};`).replaceAll(`127.0.0.1:${VLLM_PORT}`, `127.0.0.1:${fixture.port}`),
  );
  gateway = nginx.url;
});

afterAll(async () => {
  await nginx?.stop();
  await fixture?.stop();
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
