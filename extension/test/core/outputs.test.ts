import type { EndpointOutput } from "../../../core/contract/outputs";
import { formatOutputsProblem, parseDeploymentOutputs, selectEndpoints, type Endpoint } from "../../src/core";

/** A valid endpoint output, typed by the contract so a changed field breaks this fixture at compile time. */
const VALID_ENDPOINT: EndpointOutput = {
  environment: "local",
  served_model_name: "qwen2.5-coder-7b",
  base_url: "http://aicockpit-qwen2-5-coder-7b.aicockpit.svc.cluster.local:8000/v1",
  role: "both",
  fim_template: "qwen",
  max_model_len: 32768,
  api_key_secret: "aicockpit/aicockpit-api-key",
};

function endpoint(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...VALID_ENDPOINT, ...overrides };
}

const DOCS_EXAMPLE = { "aicockpit-local": { environment: "local", endpoint_qwen2_5_coder_7b: endpoint() } };

function mustFail(text: string) {
  const result = parseDeploymentOutputs(text, "aicockpit-outputs.json");
  if (result.ok) throw new Error("expected a failure");
  return result.errors;
}

function mustParse(value: unknown) {
  const result = parseDeploymentOutputs(JSON.stringify(value), "aicockpit-outputs.json");
  if (!result.ok) throw new Error(result.errors.map(formatOutputsProblem).join("\n"));
  return result;
}

describe("parseDeploymentOutputs", () => {
  test("reads the cdktf --outputs-file example from docs/outputs.md", () => {
    const result = mustParse(DOCS_EXAMPLE);
    expect(result.environments).toEqual(["local"]);
    expect(result.endpoints).toEqual<Endpoint[]>([
      {
        id: "aicockpit-local/qwen2.5-coder-7b",
        stack: "aicockpit-local",
        outputName: "endpoint_qwen2_5_coder_7b",
        environment: "local",
        servedModelName: "qwen2.5-coder-7b",
        baseUrl: "http://aicockpit-qwen2-5-coder-7b.aicockpit.svc.cluster.local:8000/v1",
        role: "both",
        fimTemplate: "qwen",
        maxModelLen: 32768,
        apiKeySecret: "aicockpit/aicockpit-api-key",
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  test("reads the `terraform output -json` shape (outputs wrapped in value/type/sensitive)", () => {
    const result = mustParse({
      environment: { value: "dev", type: "string", sensitive: false },
      endpoint_deepseek_coder: {
        value: endpoint({ environment: "dev", served_model_name: "deepseek-coder", fim_template: "deepseek" }),
        type: ["object", {}],
        sensitive: false,
      },
    });
    expect(result.endpoints.map((e) => [e.environment, e.servedModelName, e.fimTemplate])).toEqual([["dev", "deepseek-coder", "deepseek"]]);
  });

  test("reads several stacks and lists every environment", () => {
    const result = mustParse({
      "aicockpit-prod": {
        environment: "prod",
        endpoint_big: endpoint({ environment: "prod", served_model_name: "big", role: "chat", fim_template: "none" }),
      },
      "aicockpit-dev": {
        environment: "dev",
        endpoint_small: endpoint({ environment: "dev", served_model_name: "small" }),
        endpoint_chat: endpoint({ environment: "dev", served_model_name: "chat", role: "chat", fim_template: "none" }),
      },
      "some-other-stack": { bucket: "x" },
    });
    expect(result.environments).toEqual(["dev", "prod"]);
    expect(result.endpoints.map((e) => e.id)).toEqual(["aicockpit-prod/big", "aicockpit-dev/small", "aicockpit-dev/chat"]);
  });

  test("outputs nested under a construct id inside the stack are found", () => {
    const result = mustParse({ "aicockpit-dev": { serving: { endpoint_a: endpoint({ environment: "dev" }) }, environment: "dev" } });
    expect(result.endpoints.map((e) => e.id)).toEqual(["aicockpit-dev/qwen2.5-coder-7b"]);
  });

  test("a single stack's outputs at the top level, without endpoints, says so", () => {
    expect(mustFail(JSON.stringify({ environment: "local" }))[0].problem).toMatch(/no `endpoint_<model>`/);
  });

  test("a trailing slash on base_url is dropped", () => {
    expect(mustParse({ s: { endpoint_a: endpoint({ base_url: "https://h/v1/" }) } }).endpoints[0].baseUrl).toBe("https://h/v1");
  });

  test("not JSON: names the file and says how to regenerate it", () => {
    const [error] = mustFail('{"aicockpit-local": ');
    expect(error.file).toBe("aicockpit-outputs.json");
    expect(error.problem).toMatch(/not valid JSON/);
    expect(formatOutputsProblem(error)).toMatch(/^aicockpit-outputs\.json: is not valid JSON .*cdktf deploy/);
  });

  test("top level not an object", () => {
    expect(mustFail("[1,2]")[0].problem).toMatch(/JSON object/);
    expect(mustFail("null")[0].problem).toMatch(/JSON object/);
  });

  test("no AiCockpit stack at all", () => {
    expect(mustFail(JSON.stringify({ "other-stack": { bucket_name: "b" } }))[0].problem).toMatch(/no AiCockpit stack/);
  });

  test("a stack without endpoints", () => {
    const errors = mustFail(JSON.stringify({ "aicockpit-local": { environment: "local" } }));
    expect(errors[0]).toMatchObject({ where: "aicockpit-local", problem: expect.stringMatching(/no `endpoint_<model>`/) });
  });

  test("missing fields are listed by name", () => {
    const broken = endpoint();
    delete broken.base_url;
    delete broken.max_model_len;
    const errors = mustFail(JSON.stringify({ "aicockpit-local": { endpoint_x: broken } }));
    expect(errors[0].where).toBe("aicockpit-local.endpoint_x");
    expect(errors[0].problem).toContain("missing field `base_url`");
    expect(errors[0].problem).toContain("missing field `max_model_len`");
  });

  test("wrong types and values are explained", () => {
    const errors = mustFail(
      JSON.stringify({
        s: {
          endpoint_a: endpoint({ max_model_len: "32768" }),
          endpoint_b: endpoint({ role: "everything" }),
          endpoint_c: endpoint({ base_url: "ftp://x/v1" }),
          endpoint_d: endpoint({ api_key_secret: "just-a-key-value" }),
          endpoint_e: "not an object",
        },
      }),
    );
    const byWhere = Object.fromEntries(errors.map((e) => [e.where, e.problem]));
    expect(byWhere["s.endpoint_a"]).toMatch(/`max_model_len`.*number/);
    expect(byWhere["s.endpoint_b"]).toMatch(/`role`/);
    expect(byWhere["s.endpoint_c"]).toMatch(/`base_url`.*http/);
    expect(byWhere["s.endpoint_d"]).toMatch(/<namespace>\/<secret name>/);
    expect(byWhere["s.endpoint_e"]).toBe("is not an object");
  });

  test("valid endpoints load; invalid ones become warnings", () => {
    const result = mustParse({ s: { endpoint_ok: endpoint(), endpoint_bad: endpoint({ role: 3 }) } });
    expect(result.endpoints).toHaveLength(1);
    expect(result.warnings.map((w) => w.where)).toEqual(["s.endpoint_bad"]);
  });
});

describe("selectEndpoints", () => {
  const { endpoints } = mustParse({
    a: {
      endpoint_fim: endpoint({ environment: "dev", served_model_name: "fim", role: "completion" }),
      endpoint_chat: endpoint({ environment: "dev", served_model_name: "chat", role: "chat", fim_template: "none" }),
    },
    b: { endpoint_local: endpoint({ environment: "local", served_model_name: "both" }) },
  });

  test("prefers `local` when no environment is chosen and there are several", () => {
    const s = selectEndpoints(endpoints);
    expect([s.environment, s.completion?.servedModelName, s.chat?.servedModelName]).toEqual(["local", "both", "both"]);
  });

  test("picks completion and chat models by role in the chosen environment", () => {
    const s = selectEndpoints(endpoints, { environment: "dev" });
    expect([s.completion?.servedModelName, s.chat?.servedModelName]).toEqual(["fim", "chat"]);
    expect(s.notes).toEqual([]);
  });

  test("explains choices that cannot be honoured", () => {
    const s = selectEndpoints(endpoints, { environment: "dev", completionModel: "chat", chatModel: "nope" });
    expect(s.completion?.servedModelName).toBe("fim");
    expect(s.notes).toEqual(['Model "chat" is not deployed for completions.', 'Model "nope" is not in environment "dev".']);
    expect(selectEndpoints(endpoints, { environment: "staging" }).notes[0]).toMatch(/"staging" is not in the outputs/);
  });
});
