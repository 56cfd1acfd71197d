import { parseEnvironment } from "../../core/load-environment";
import { toolCheckVerdict } from "../../core/ops/tool-check";
import { vllmArgs } from "../../core/vllm-server-spec";

const environment = (model: string) => `
target: { kind: kubernetes, context: lab }
image: { tag: v0.29.0 }
gpuPools: [{ name: gpu, gpu: L40S, gpusPerNode: 2, nodes: 2 }]
models: [${model}]
`;
const parse = (model: string) => parseEnvironment("env", "env.yaml", environment(model));

describe("tool calling", () => {
  it.each([
    ["qwen2.5-coder-7b-instruct", "hermes"],
    ["qwen3-coder-30b-a3b-instruct", "qwen3_coder"],
    ["llama-3.1-8b-instruct", "llama3_json"],
  ])("passes %s's parser from the catalog", (model, parser) => {
    const env = parse(`{ servedName: c, model: ${model}, role: chat, pool: gpu, maxModelLen: 8192, quantization: fp8, toolCalling: true }`);
    expect(vllmArgs(env.models[0])).toEqual(expect.arrayContaining(["--enable-auto-tool-choice", `--tool-call-parser=${parser}`]));
  });

  it("passes no tool flag when off", () => {
    const env = parse(`{ servedName: c, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, maxModelLen: 8192 }`);
    expect(vllmArgs(env.models[0]).filter((a) => a.includes("tool"))).toEqual([]);
  });

  it("takes an inline model's parser, and refuses one that names none", () => {
    const inline = (parser: string) =>
      `{ servedName: c, role: chat, pool: gpu, maxModelLen: 8192, toolCalling: true, model: { hfRepo: org/m, parametersB: 7, layers: 28, hiddenSize: 3584, attentionHeads: 28, kvHeads: 4, maxPositions: 32768${parser} } }`;
    expect(vllmArgs(parse(inline(", toolCallParser: pythonic")).models[0])).toContain("--tool-call-parser=pythonic");
    expect(() => parse(inline(""))).toThrow(
      /models\[0\]\.toolCalling: org\/m is outside the catalog and names no toolCallParser[\s\S]*set model\.toolCallParser/,
    );
  });

  it("refuses a parser with no effect, a completion-only model and a base model", () => {
    expect(() =>
      parse(
        `{ servedName: c, role: chat, pool: gpu, model: { hfRepo: org/m, parametersB: 7, layers: 28, hiddenSize: 3584, attentionHeads: 28, kvHeads: 4, maxPositions: 32768, toolCallParser: hermes } }`,
      ),
    ).toThrow(/models\[0\]\.model\.toolCallParser: has no effect/);
    expect(() => parse(`{ servedName: c, model: qwen2.5-coder-7b-instruct, role: completion, pool: gpu, toolCalling: true }`)).toThrow(
      /models\[0\]\.toolCalling: c serves role "completion" only[\s\S]*set role: chat or both/,
    );
    expect(() => parse(`{ servedName: c, model: starcoder2-7b, role: both, pool: gpu, toolCalling: true }`)).toThrow(
      /models\[0\]\.toolCalling: starcoder2-7b has no tool-call parser[\s\S]*qwen2\.5-coder-7b-instruct/,
    );
  });

  it("refuses the tool flags in extraArgs, since the kit sets them", () => {
    expect(() =>
      parse(`{ servedName: c, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, extraArgs: ["--tool-call-parser=hermes"] }`),
    ).toThrow(/managed by the kit from toolCalling/);
  });
});

describe("doctor's tool-calling verdict", () => {
  it("passes a returned call, warns on text, fails a refusal", () => {
    const call = JSON.stringify({ choices: [{ message: { tool_calls: [{ id: "1", function: { name: "get_time" } }] } }] });
    expect(toolCheckVerdict(200, call).status).toBe("pass");
    expect(toolCheckVerdict(200, JSON.stringify({ choices: [{ message: { content: "noon" } }] })).status).toBe("warn");
    const refused = toolCheckVerdict(400, '{"error":"\\"auto\\" tool choice requires --enable-auto-tool-choice"}');
    expect(refused.status).toBe("fail");
    expect(refused.summary).toMatch(/answered 400/);
  });
});
