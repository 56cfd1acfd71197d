/**
 * The docker target's gateway configuration (core/docker/gateway-config.ts) run by a real nginx
 * in front of two vLLM fixtures, one per model. Only the listen port and the containers'
 * addresses (Docker DNS names → the fixtures' loopback ports) are adapted; every location is the
 * generated one, so the routes match the Kubernetes gateway's (test/gateway/).
 */
import { FIM_SPECS, GATEWAY_TOKENIZE_PATH, tokenizeRequest, tokenizeResponseSchema } from "../../core/contract/fim";
import { DOCKER_GATEWAY_HEALTH_PATH, dockerGatewayConfig } from "../../core/docker/gateway-config";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { NginxProcess } from "../fixtures/nginx/nginx-process";
import { VllmFixture } from "../fixtures/vllm/server";

const KEY = "docker-gateway-key";
const MODELS = ["coder", "chat"] as const;
const fixtures: Record<string, VllmFixture> = {};
let nginx: NginxProcess;

beforeAll(async () => {
  for (const model of MODELS) fixtures[model] = await VllmFixture.start({ apiKey: KEY, servedModelNames: [model] });
  const generated = dockerGatewayConfig(
    GATEWAY_PORT,
    MODELS.map((model) => ({ path: `/aicockpit-${model}`, container: `aicockpit-${model}` })),
  );
  nginx = await NginxProcess.start(generated, (block, port) =>
    MODELS.reduce(
      (text, model) => text.replaceAll(`http://aicockpit-${model}:${VLLM_PORT}`, `http://127.0.0.1:${fixtures[model].port}`),
      block.replace(`listen ${GATEWAY_PORT};`, `listen 127.0.0.1:${port};`),
    ),
  );
});

afterAll(async () => {
  await nginx?.stop();
  for (const fixture of Object.values(fixtures)) await fixture.stop();
});

const tokenize = (model: string, key?: string) =>
  fetch(`${nginx.url}/aicockpit-${model}${GATEWAY_TOKENIZE_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(tokenizeRequest(model, FIM_SPECS.qwen.markers.prefix)),
  });

describe("each model's <path>/v1/tokenize", () => {
  test.each(MODELS)("%s: with the right key, that model's vLLM checks the key, then tokenizes", async (model) => {
    const other = fixtures[MODELS.find((name) => name !== model)!];
    const othersBefore = other.requests.length;
    const response = await tokenize(model, KEY);
    expect(response.status).toBe(200);
    expect(tokenizeResponseSchema.parse(await response.json()).count).toBe(1);
    expect(fixtures[model].requestsTo("/v1/models").at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fixtures[model].requestsTo("/tokenize").at(-1)?.body).toEqual(tokenizeRequest(model, FIM_SPECS.qwen.markers.prefix));
    expect(other.requests.length).toBe(othersBefore);
  });

  test.each([
    ["a wrong key", "not-the-key"],
    ["no key", undefined],
  ])("with %s: 401, and vLLM's /tokenize is never called", async (_what, key) => {
    const before = fixtures.coder.requestsTo("/tokenize").length;
    const response = await tokenize("coder", key);
    expect(response.status).toBe(401);
    expect(fixtures.coder.requestsTo("/tokenize").length).toBe(before);
  });
});

describe("the rest of each model's routes", () => {
  test("/v1/* reaches the model's vLLM with the prefix stripped; vLLM checks the key", async () => {
    const ok = await fetch(`${nginx.url}/aicockpit-chat/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain('"chat"');
    const wrong = await fetch(`${nginx.url}/aicockpit-chat/v1/models`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
  });

  test("<path>/health and the gateway's own health answer", async () => {
    expect((await fetch(`${nginx.url}/aicockpit-coder/health`)).status).toBe(200);
    expect((await fetch(`${nginx.url}${DOCKER_GATEWAY_HEALTH_PATH}`)).status).toBe(200);
  });

  test.each(["/aicockpit-coder/tokenize", "/aicockpit-coder/metrics", "/__aicockpit_auth/aicockpit-coder", "/v1/models", "/tokenize"])(
    "%s → 404 (with the key too), nothing reaches vLLM",
    async (urlPath) => {
      const before = fixtures.coder.requests.length + fixtures.chat.requests.length;
      for (const method of ["GET", "POST"]) {
        const response = await fetch(`${nginx.url}${urlPath}`, { method, headers: { authorization: `Bearer ${KEY}` } });
        expect(response.status).toBe(404);
      }
      expect(fixtures.coder.requests.length + fixtures.chat.requests.length).toBe(before);
    },
  );
});
