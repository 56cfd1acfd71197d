/**
 * The vLLM flags (and flag values) the kit passes, with the release each first appeared in: a
 * flag the pinned release does not accept would crash-loop every server, so a test checks the
 * server spec against this table for every release the planner knows.
 *
 * First releases come from vLLM's history (read 2026-11-26 in the fork snapshot ivanium/vllm,
 * which carries upstream's commits through main @ 455edc022b45, 2026-08-17): the commit adding the
 * flag, and the next "Bump version" commit after it. Every flag below is still defined there
 * (vllm/engine/arg_utils.py, vllm/entrypoints/openai/cli_args.py), none deprecated; the v0.29.0
 * start-up logs of the calibration (samilazrak/vllm-optimization-lab) show max_num_batched_tokens,
 * max_num_seqs, quantization, gpu_memory_utilization and enable_prefix_caching accepted.
 */
import { TOOL_CALL_PARSERS, TOOL_CALL_PARSER_SOURCES } from "./catalog/tool-parsers";
export interface VllmFlagHistory {
  /** The flag as the kit writes it, `--name`; for a value, `--name=value`. */
  flag: string;
  /** First release with it. */
  since: string;
  /** The commit (PR) that added it. */
  source: string;
}

export const VLLM_FLAG_HISTORY: readonly VllmFlagHistory[] = [
  // Both flags arrived together in vllm/entrypoints/openai/cli_args.py; each parser name has its own commit.
  ...["--enable-auto-tool-choice", "--tool-call-parser"].map((flag) => ({
    flag,
    since: "v0.6.0",
    source: "#5649 OpenAI-Compatible Tools API (e02ce498b, 2024-09-04), before Bump version to v0.6.0 (32e7db253)",
  })),
  // The JSON form replaced the separate --speculative-model/--num-speculative-tokens flags on main
  // (vllm/engine/arg_utils.py) months before v0.10.1.1; the methods it carries have their own table below.
  {
    flag: "--speculative-config",
    since: "v0.10.1.1",
    source: "#14434 [V1][Usage] Refactor speculative decoding configuration (50c9636d8, 2025-03-23)",
  },
  ...["--enable-lora", "--max-lora-rank", "--max-loras"].map((flag) => ({
    flag,
    since: "v0.3.0",
    source: "#1804 [Experimental] Add multi-LoRA support (9b945daaf, 2024-01-24), before Bump up version to v0.3.0 (1af090b57)",
  })),
  {
    flag: "--lora-modules",
    since: "v0.3.2",
    source: "#2775 multi-LoRA as extra models in OpenAI server (8f36444c4, 2024-02-17), before Bump up version to v0.3.2 (8fbd84bf7)",
  },
  // Every parser name registered before v0.10.1.1 (2025-08-20), the oldest release the planner knows.
  ...TOOL_CALL_PARSERS.map((parser) => ({
    flag: `--tool-call-parser=${parser}`,
    since: "v0.10.1.1",
    source: TOOL_CALL_PARSER_SOURCES[parser],
  })),
  // "Change the name to vLLM" (#150, 0b98ba15c, 2023-06-17) already has these; v0.1.0 followed.
  ...["--model", "--served-model-name", "--tensor-parallel-size", "--pipeline-parallel-size", "--gpu-memory-utilization", "--dtype"].map(
    (flag) => ({ flag, since: "v0.1.0", source: "#150 (0b98ba15c, 2023-06-17)" }),
  ),
  // The draft's `revision` key of --speculative-config is in SpeculativeConfig at every release
  // the planner knows (vllm/config/__init__.py @ c6d80a7a9, vllm/config/speculative.py @ f9e714813
  // and 455edc022b45).
  {
    flag: "--revision",
    since: "v0.2.0",
    source: "#1014 Add Model Revision Support (ab019eea7, 2023-09-14), before Bump up the version to v0.2.0 (e2fb71ec9)",
  },
  ...["--max-num-batched-tokens", "--max-num-seqs", "--host", "--port"].map((flag) => ({
    flag,
    since: "v0.1.0",
    source: "#150 (0b98ba15c, 2023-06-17)",
  })),
  { flag: "--dtype=bfloat16", since: "v0.1.0", source: "#150 (0b98ba15c, 2023-06-17): choices auto, half, bfloat16, float" },
  { flag: "--dtype=float16", since: "v0.2.0", source: "#1115 Add float16 and float32 (1ac4ccf73, 2023-09-21)" },
  { flag: "--max-model-len", since: "v0.2.0", source: "#972 Make max_model_len configurable (0bb1e885a, 2023-09-12)" },
  { flag: "--quantization=awq", since: "v0.2.0", source: "#1032 Implement AWQ quantization support (e3e79e9e8, 2023-09-16)" },
  { flag: "--quantization=gptq", since: "v0.2.6", source: "#916 Add GPTQ support (0fbfc4b81, 2023-12-15)" },
  { flag: "--quantization=fp8", since: "v0.4.2", source: "#4118 [Kernel][FP8] Initial support (a22cdea37, 2024-04-19)" },
  { flag: "--enable-prefix-caching", since: "v0.4.0", source: "#2762 Add Automatic Prefix Caching (ce4f5a29f, 2024-03-02)" },
  {
    flag: "--kv-cache-dtype=fp8",
    since: "v0.4.1",
    source: "#3290 scaled FP8 (e4m3fn) KV cache (2ff767b51, 2024-04-03); fp8_e5m2 since v0.3.0 (#2279)",
  },
  // The serving construct passes `--api-key <current> <next>`: one flag since v0.3.0 (#1106, 9c1352eb5,
  // 2024-01-23), several keys since #18548 "Support multiple api keys in server" (bf668b5bf, 2025-07-30),
  // already in main of 2025-08-20 (c6d80a7a9: `api_key: Optional[list[str]]`), the week of v0.10.1.1.
  { flag: "--api-key", since: "v0.10.1.1", source: "#18548 Support multiple api keys in server (bf668b5bf, 2025-07-30)" },
  {
    flag: "--distributed-executor-backend=ray",
    since: "v0.4.3",
    source: "#4539 [Core] Add MultiprocessingGPUExecutor (676a99982, 2024-05-14)",
  },
];

/**
 * The `method` values of `--speculative-config` the kit writes, with the first release the planner
 * knows that has each: the V1 engine's n-gram proposer (#15348 "Respect prompt_lookup_max",
 * b9bd76ca1, 2025-03-23, already in v0.10.1.1) and draft models in V1 (#24322 "spec decode with
 * draft models", 4a5299c93, 2026-01-19: after v0.11.0, so of the known releases only v0.29.0).
 */
export const SPECULATIVE_METHOD_SINCE = { ngram: "v0.10.1.1", draft_model: "v0.29.0" } as const;

/** Orders release tags numerically: v0.10.1.1 after v0.9.2. */
export function compareVllmTags(a: string, b: string): number {
  const parts = (tag: string) => tag.replace(/^v/, "").split(".").map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The history entry that covers an argument as the kit writes it (`--flag=value`), value-specific first. */
export function flagHistory(argument: string): VllmFlagHistory | undefined {
  const name = argument.split("=")[0];
  return (
    VLLM_FLAG_HISTORY.find((entry) => entry.flag === argument) ??
    VLLM_FLAG_HISTORY.find((entry) => entry.flag === name && !entry.flag.includes("="))
  );
}
