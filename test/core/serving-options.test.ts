import { parseEnvironment } from "../../core/load-environment";
import { forwardTarget, servingModelName } from "../../core/ops/connect-plan";
import { toolCheckVerdict } from "../../core/ops/tool-check";
import { servingOptionsLines } from "../../core/summary";
import { startupBudgetSeconds, vllmArgs } from "../../core/vllm-server-spec";

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

describe("speculative decoding", () => {
  const starcoder = (speculative: string, extra = "") =>
    parse(`{ servedName: c, model: starcoder2-15b, role: completion, pool: gpu, maxModelLen: 8192${extra}, speculative: ${speculative} }`);

  it("passes n-gram lookup as --speculative-config JSON with vLLM's key names", () => {
    const env = starcoder("{ method: ngram, numSpeculativeTokens: 4, promptLookupMax: 4, promptLookupMin: 2 }");
    const arg = vllmArgs(env.models[0]).find((a) => a.startsWith("--speculative-config="))!;
    expect(JSON.parse(arg.slice("--speculative-config=".length))).toEqual({
      method: "ngram",
      num_speculative_tokens: 4,
      prompt_lookup_max: 4,
      prompt_lookup_min: 2,
    });
    expect(env.models[0].plan.overheadBytesPerGpu.draftWeights).toBe(0);
  });

  it("passes a draft of the same family by its repo, and plans its memory", () => {
    const env = starcoder("{ method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 }");
    const arg = vllmArgs(env.models[0]).find((a) => a.startsWith("--speculative-config="))!;
    expect(JSON.parse(arg.slice("--speculative-config=".length))).toEqual({
      method: "draft_model",
      model: "bigcode/starcoder2-3b",
      num_speculative_tokens: 3,
    });
    expect(env.models[0].plan.overheadBytesPerGpu.draftWeights).toBeGreaterThan(5 * 1024 ** 3);
  });

  it("refuses a draft of another family, another vocabulary, or no smaller", () => {
    expect(() => starcoder("{ method: draft, model: codellama-7b, numSpeculativeTokens: 3 }")).toThrow(
      /models\[0\]\.speculative\.model: codellama-7b cannot draft for starcoder2-15b: its tokenizer \(codellama\) is not starcoder2-15b's \(starcoder2\)[\s\S]*fix: use a smaller model of its family \(starcoder2-3b, starcoder2-7b\), or use method: ngram/,
    );
    expect(() =>
      parse(
        `{ servedName: c, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, maxModelLen: 8192, speculative: { method: draft, model: qwen2.5-coder-1.5b, numSpeculativeTokens: 3 } }`,
      ),
    ).toThrow(/its vocabulary has 151936 tokens and qwen2\.5-coder-7b-instruct's 152064, which vLLM refuses/);
    expect(() => starcoder("{ method: draft, model: starcoder2-15b, numSpeculativeTokens: 3 }")).toThrow(
      /is not smaller than starcoder2-15b/,
    );
    expect(() => starcoder("{ method: draft, model: gpt-2, numSpeculativeTokens: 3 }")).toThrow(
      /speculative\.model: unknown draft model "gpt-2"/,
    );
  });

  it("refuses a draft on a release whose V1 engine has no draft models", () => {
    const yaml = environment(
      `{ servedName: c, model: starcoder2-15b, role: completion, pool: gpu, maxModelLen: 8192, speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 } }`,
    ).replace("v0.29.0", "v0.11.0");
    expect(() => parseEnvironment("env", "env.yaml", yaml)).toThrow(
      /speculative\.method: vLLM v0\.11\.0 has no draft-model speculative decoding[\s\S]*pin image\.tag v0\.29\.0/,
    );
  });

  it("refuses n-gram bounds vLLM would refuse, and the flag in extraArgs", () => {
    expect(() => starcoder("{ method: ngram, numSpeculativeTokens: 4, promptLookupMax: 2, promptLookupMin: 3 }")).toThrow(
      /speculative\.promptLookupMin: promptLookupMin is above promptLookupMax/,
    );
    expect(() => starcoder("{ method: ngram, numSpeculativeTokens: 0 }")).toThrow(/speculative\.numSpeculativeTokens/);
    expect(() => starcoder("{ method: eagle, numSpeculativeTokens: 2 }")).toThrow(/speculative\.method must be ngram or draft/);
    expect(() => parse(`{ servedName: c, model: starcoder2-7b, role: completion, pool: gpu, extraArgs: ["--spec-model=x"] }`)).toThrow(
      /managed by the kit from speculative/,
    );
  });
});

describe("LoRA adapters", () => {
  const coder = (lora: string) =>
    parse(`{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 8192, lora: ${lora} }`);

  it("enables LoRA with the rank, the slots and each adapter as name=source", () => {
    const env = coder(
      "{ maxRank: 16, adapters: [{ name: house-style, source: org/house-lora, rank: 8 }, { name: tests-first, source: org/tests-lora }] }",
    );
    const args = vllmArgs(env.models[0]);
    const at = args.indexOf("--lora-modules");
    expect(args).toEqual(expect.arrayContaining(["--enable-lora", "--max-lora-rank=16", "--max-loras=2"]));
    expect(args.slice(at, at + 3)).toEqual(["--lora-modules", "house-style=org/house-lora", "tests-first=org/tests-lora"]);
    expect(env.models[0].plan.overheadBytesPerGpu.lora).toBeGreaterThan(0);
  });

  it("reserves less with fewer slots than adapters", () => {
    const two = coder("{ maxRank: 16, adapters: [{ name: a, source: org/a }, { name: b, source: org/b }] }");
    const one = coder("{ maxRank: 16, maxLoras: 1, adapters: [{ name: a, source: org/a }, { name: b, source: org/b }] }");
    expect(vllmArgs(one.models[0])).toContain("--max-loras=1");
    expect(one.models[0].plan.overheadBytesPerGpu.lora * 2).toBe(two.models[0].plan.overheadBytesPerGpu.lora);
  });

  it("refuses a rank vLLM does not accept, an adapter above maxRank and idle slots", () => {
    expect(() => coder("{ maxRank: 24, adapters: [{ name: a, source: org/a }] }")).toThrow(
      /lora\.maxRank: maxRank must be one of 8, 16, 32, 64, 128, 256, 320, 512/,
    );
    expect(() => coder("{ maxRank: 16, adapters: [{ name: a, source: org/a, rank: 64 }] }")).toThrow(
      /lora\.adapters\[0\]\.rank: rank 64 is above maxRank 16[\s\S]*raise maxRank to 64/,
    );
    expect(() => coder("{ maxRank: 16, maxLoras: 3, adapters: [{ name: a, source: org/a }] }")).toThrow(
      /lora\.maxLoras: 3 slots for 1 adapter/,
    );
  });

  it("refuses an adapter named like a served model or another adapter, and a source that is not a repo id", () => {
    expect(() => coder("{ maxRank: 16, adapters: [{ name: coder, source: org/a }] }")).toThrow(
      /lora\.adapters\[0\]\.name: "coder" is taken by models\[0\]\.servedName "coder"/,
    );
    expect(() => coder("{ maxRank: 16, adapters: [{ name: a.b, source: org/a }, { name: a-b, source: org/b }] }")).toThrow(
      /lora\.adapters\[1\]\.name: "a-b" is taken by models\[0\]\.lora\.adapters\[0\]\.name "a\.b"/,
    );
    expect(() => coder('{ maxRank: 16, adapters: [{ name: a, source: "org/a,b=c" }] }')).toThrow(/lora\.adapters\[0\]\.source/);
  });

  it("holds an adapter's source and name to the same rules as a model's hfRepo and servedName", () => {
    expect(() => coder("{ maxRank: 16, adapters: [{ name: a, source: org/a.git }] }")).toThrow(
      /lora\.adapters\[0\]\.source: a Hugging Face repo id does not end in \.git\n {2}fix: write org\/adapter/,
    );
    expect(() => coder("{ maxRank: 16, adapters: [{ name: a, source: org/a--b }] }")).toThrow(
      /lora\.adapters\[0\]\.source: .*cannot contain -- or \.\./,
    );
    expect(() => coder(`{ maxRank: 16, adapters: [{ name: a, source: org/${"a".repeat(93)} }] }`)).toThrow(/at most 96 characters/);
    expect(() => coder("{ maxRank: 16, adapters: [{ name: House, source: org/a }] }")).toThrow(
      /lora\.adapters\[0\]\.name: invalid value\n {2}fix: use lowercase/,
    );
    expect(() => coder(`{ maxRank: 16, adapters: [{ name: ${"a".repeat(61)}, source: org/a }] }`)).toThrow(/lora\.adapters\[0\]\.name/);
  });

  it("refuses the LoRA flags in extraArgs, since the kit sets them", () => {
    expect(() =>
      parse(`{ servedName: c, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, extraArgs: ["--max-lora-rank=64"] }`),
    ).toThrow(/managed by the kit from lora/);
  });
});

describe("the startup budget", () => {
  it("downloads a speculative draft's weights too", () => {
    const plain = parse(`{ servedName: c, model: starcoder2-15b, role: completion, pool: gpu, maxModelLen: 8192 }`);
    const drafted = parse(
      `{ servedName: c, model: starcoder2-15b, role: completion, pool: gpu, maxModelLen: 8192, speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 } }`,
    );
    const { plan } = drafted.models[0];
    const weightMB = (plan.weightBytesPerGpu * plan.gpusPerReplica) / 1e6;
    const draftMB = plan.overheadBytesPerGpu.draftWeights / 1e6;
    expect(draftMB).toBeGreaterThan(5000);
    expect(startupBudgetSeconds(plain.models[0])).toBe(Math.ceil(600 + weightMB / 50));
    expect(startupBudgetSeconds(drafted.models[0])).toBe(Math.ceil(600 + (weightMB + draftMB) / 50));
  });
});

describe("the synth summary", () => {
  it("names each serving option and what the planner reserved for it", () => {
    const env = parse(
      `{ servedName: c, model: starcoder2-15b, role: completion, pool: gpu, maxModelLen: 8192, speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 }, lora: { maxRank: 16, adapters: [{ name: house, source: org/house }] } }`,
    );
    expect(servingOptionsLines(env.models[0])).toEqual([
      "speculative decoding: draft starcoder2-3b, 3 tokens per step (5.64 GiB/GPU of weights, its KV cache in the B/token above)",
      expect.stringMatching(/^LoRA: house \(rank ≤ 16, 1 slot\(s\), 0\.1 GiB\/GPU\), each its own endpoint$/),
    ]);
    const tools = parse(`{ servedName: c, model: qwen2.5-coder-7b-instruct, role: chat, pool: gpu, maxModelLen: 8192, toolCalling: true }`);
    expect(servingOptionsLines(tools.models[0])).toEqual(["tool calling on (parser hermes)"]);
  });
});

describe("npm run connect", () => {
  it("forwards a LoRA adapter's endpoint to its model's pods", () => {
    const env = parse(
      `{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 8192, lora: { maxRank: 16, adapters: [{ name: house, source: org/house }] } }`,
    );
    expect(servingModelName(env.models, "house")).toBe("coder");
    expect(servingModelName(env.models, "coder")).toBe("coder");
    expect(forwardTarget(servingModelName(env.models, "house"), "ns").labelSelector).toBe(forwardTarget("coder", "ns").labelSelector);
  });
});
