/**
 * Which vLLM flags a model's `extraArgs` may carry, judged the way vLLM's own parser reads them.
 * Each entry becomes one argv element of the vLLM server (no shell), so an entry is either a
 * flag (`--flag` or `--flag=value`) or a value for the flag before it.
 *
 * How vLLM reads a flag (checked 2026-11-26 in vllm-project/vllm):
 * - `FlexibleArgumentParser.parse_args` (vllm/utils/argparse_utils.py @ 00da11e3) rewrites `_` to
 *   `-` in the part of a `--` flag before the first `.` and before `=`, so `--tensor_parallel_size=2`
 *   is `--tensor-parallel-size=2`; `--flag.key value` and `--flag.key+ value` set a key of the JSON
 *   flag `--flag`; `-O3` means the optimisation level.
 * - The parser is an `argparse.ArgumentParser` built without `allow_abbrev=False`
 *   (`vllm/entrypoints/openai/api_server.py`, the module the kit runs), so any unambiguous prefix of
 *   a long flag is that flag (`--tensor-para`), and a single-dash flag takes an attached value
 *   (`-qawq` is `-q awq`). argparse prefers an exact match to an abbreviation.
 * - Every boolean field gets `--no-<flag>` too (`argparse.BooleanOptionalAction` in `get_kwargs`,
 *   vllm/engine/arg_utils.py @ 99d7eb5d).
 * - Short spellings from `EngineArgs.add_cli_args` (arg_utils.py @ 99d7eb5d and newer): `-tp`,
 *   `-pp`, `-dp`, `-dpn`, `-dpr`, `-dpl`, `-dpa`, `-dpp`, `-dpb`, `-dph`, `-dpe`, `-q`, and in
 *   newer releases `-n` (`--nnodes`) and `-r` (`--node-rank`).
 */

/** A flag the kit sets itself, from a field of the environment. */
interface ManagedFlag {
  readonly spellings: readonly string[];
  /** The environment field that sets it, named in the refusal. */
  readonly field: string;
}

/** A flag no environment may set, with the reason. */
interface RefusedFlag {
  readonly spellings: readonly string[];
  readonly reason: string;
  /** What to do instead. */
  readonly fix: string;
}

const MANAGED: readonly ManagedFlag[] = [
  { spellings: ["--model"], field: "model" },
  { spellings: ["--served-model-name"], field: "servedName" },
  { spellings: ["--tensor-parallel-size", "-tp"], field: "tensorParallel" },
  { spellings: ["--pipeline-parallel-size", "-pp"], field: "pipelineParallel" },
  { spellings: ["--max-model-len"], field: "maxModelLen" },
  // The planner sizes the KV cache from the GPU memory fraction; these would size it otherwise.
  { spellings: ["--gpu-memory-utilization", "--kv-cache-memory-bytes", "--num-gpu-blocks-override"], field: "gpuMemoryUtilization" },
  // Passed explicitly so the server profiles the batch the planner sized (core/vllm-server-spec.ts).
  { spellings: ["--max-num-batched-tokens"], field: "maxNumBatchedTokens" },
  { spellings: ["--max-num-seqs"], field: "maxNumSeqs" },
  { spellings: ["--dtype"], field: "dtype" },
  { spellings: ["--quantization", "-q"], field: "quantization" },
  { spellings: ["--kv-cache-dtype"], field: "kvCacheDtype" },
  { spellings: ["--trust-remote-code"], field: "trustRemoteCode" },
  // The warm-up downloads and verifies the model's repo at this revision, and the server loads it
  // offline: another revision, of the weights, tokenizer or code, would not be in the cache.
  { spellings: ["--revision", "--tokenizer-revision", "--code-revision"], field: "revision" },
  // The parser follows from the model's family (core/catalog/models.ts); the outputs declare the capability.
  { spellings: ["--enable-auto-tool-choice", "--tool-call-parser"], field: "toolCalling" },
  // The planner counts a draft model's weights and KV cache; a draft set here would go uncounted.
  // The planner reserves the LoRA slots' memory from these; the outputs list each adapter.
  { spellings: ["--enable-lora", "--max-lora-rank", "--max-loras", "--lora-modules"], field: "lora" },
  // `--spec-method`, `--spec-model` and `--spec-tokens` are newer shorthands for its keys (arg_utils.py @ 455edc022b45).
  { spellings: ["--speculative-config", "-sc", "--spec-method", "--spec-model", "--spec-tokens"], field: "speculative" },
  // Data parallelism multiplies a server's GPUs past tensorParallel × pipelineParallel; the kit
  // scales out with replicas, each its own server.
  {
    spellings: [
      "--data-parallel-size",
      "-dp",
      "--data-parallel-rank",
      "-dpn",
      "--data-parallel-start-rank",
      "-dpr",
      "--data-parallel-size-local",
      "-dpl",
      "--data-parallel-address",
      "-dpa",
      "--data-parallel-rpc-port",
      "-dpp",
      "--data-parallel-backend",
      "-dpb",
      "--data-parallel-hybrid-lb",
      "-dph",
      "--data-parallel-external-lb",
      "-dpe",
    ],
    field: "replicas",
  },
  // How the GPUs of a replica that spans nodes find each other is the kit's layout.
  {
    spellings: ["--distributed-executor-backend", "--nnodes", "-n", "--node-rank", "-r", "--master-addr", "--master-port", "--headless"],
    field: "tensorParallel × pipelineParallel",
  },
  { spellings: ["--api-key"], field: "auth.apiKey" },
  { spellings: ["--hf-token"], field: "auth.huggingFaceToken" },
  { spellings: ["--download-dir"], field: "modelCache" },
];

/** Set by the kit with no field: its gateway, probes and cache rely on them. */
const KIT_OWNED: readonly RefusedFlag[] = [
  {
    spellings: ["--host", "--port", "--uds"],
    reason: "the kit's gateway sidecar and probes reach vLLM on its fixed port",
    fix: "remove it; clients reach the model through exposure",
  },
  {
    spellings: ["--ssl-keyfile", "--ssl-certfile", "--ssl-ca-certs", "--ssl-cert-reqs", "--ssl-ciphers", "--enable-ssl-refresh"],
    reason: "the gateway sidecar speaks plain HTTP to vLLM inside the pod; TLS ends at the exposure (Ingress or the aws load balancer)",
    fix: "remove it and use an Ingress exposure (or the aws target's TLS load balancer)",
  },
  {
    spellings: ["--tokenizer", "--hf-config-path"],
    reason:
      "the kit downloads, verifies and pins only the model's own repo, which holds its tokenizer and config; another repo would load unverified, and a server offline on a warmed cache would not find it",
    fix: "remove it; for a model whose repo lacks them, use a repo that carries them",
  },
  {
    spellings: ["--enable-prefix-caching"],
    reason: "the kit always enables prefix caching, which inline completions depend on",
    fix: "remove it",
  },
];

/** Refused outright: each would let the file run code, read files or send data past the kit's boundaries. */
const DANGEROUS: readonly RefusedFlag[] = [
  {
    spellings: ["--config"],
    reason: "it reads more flags from a file in the pod, past these checks",
    fix: "write each flag as its own extraArgs entry",
  },
  {
    spellings: [
      "--middleware",
      "--logits-processors",
      "--worker-cls",
      "--worker-extension-cls",
      "--scheduler-cls",
      "--tool-parser-plugin",
      "--reasoning-parser-plugin",
      "--kv-transfer-config",
    ],
    reason: "it imports and runs Python code named by the flag",
    fix: "build an image with the code you trust and set image.repository and image.tag",
  },
  {
    spellings: ["--tool-server"],
    reason: "its `demo` tools execute model-generated code (vLLM's own warning in cli_args.py)",
    fix: "remove it",
  },
  {
    spellings: ["--allowed-local-media-path"],
    reason: "it lets API clients read files of the vLLM pod",
    fix: "remove it; pass media by URL or inline",
  },
  {
    spellings: ["--trust-request-chat-template"],
    reason: "it lets every API client run its own chat template on the server",
    fix: "remove it; set the model's template with --chat-template",
  },
  {
    spellings: ["--otlp-traces-endpoint"],
    reason: "it sends request traces out of the cluster",
    fix: "remove it; the kit's monitoring scrapes vLLM's metrics in the cluster",
  },
];

/**
 * Exact vLLM flags that are also prefixes of a refused spelling: argparse takes the exact match,
 * so they are not abbreviations (`--reasoning-parser` of `--reasoning-parser-plugin`).
 */
const EXACT_FLAGS_BESIDE_REFUSED = new Set(["--reasoning-parser"]);

/** Every managed spelling with its field, for docs and tests. */
export const MANAGED_VLLM_FLAGS: ReadonlyMap<string, string> = new Map(
  MANAGED.flatMap((rule) => rule.spellings.map((spelling) => [spelling, rule.field] as const)),
);

/** Every spelling refused outright (kit-owned and dangerous). */
export const REFUSED_VLLM_FLAGS: readonly string[] = [...KIT_OWNED, ...DANGEROUS].flatMap((rule) => rule.spellings);

/** One refused extraArgs entry: its index, what is wrong and what to do. */
export interface ExtraArgProblem {
  readonly index: number;
  readonly message: string;
  readonly fix: string;
}

const LONG_FLAG = /^--[a-z0-9]+(-[a-z0-9]+)*$/;
const SHORT_FLAG = /^-[A-Za-z][A-Za-z0-9]*$/;
const NEGATIVE_NUMBER = /^-(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function extraArgProblems(args: readonly string[]): ExtraArgProblem[] {
  const problems: ExtraArgProblem[] = [];
  args.forEach((entry, index) => {
    const problem = entryProblem(entry, index === 0);
    if (problem) problems.push({ index, ...problem });
  });
  return problems;
}

function entryProblem(entry: string, first: boolean): Omit<ExtraArgProblem, "index"> | undefined {
  if (entry.trim() === "") return { message: "an empty entry", fix: "remove it" };
  if (!entry.startsWith("-") || NEGATIVE_NUMBER.test(entry)) {
    return first ? { message: `"${entry}" is a value with no flag before it`, fix: "put the flag it belongs to before it" } : undefined;
  }
  if (entry === "-" || entry === "--") return { message: `"${entry}" is not a flag`, fix: "remove it" };
  const equals = entry.indexOf("=");
  const written = equals < 0 ? entry : entry.slice(0, equals);
  if (/\s/.test(written)) {
    const [flag, ...rest] = written.trim().split(/\s+/);
    return {
      message: `"${entry}" holds a flag and its value in one entry; each entry is one argument, so vLLM would not recognise it`,
      fix: `write "${flag}=${[...rest, ...(equals < 0 ? [] : [entry.slice(equals + 1)])].join(" ")}", or "${flag}" and its value as two entries`,
    };
  }
  return entry.startsWith("--") ? longFlagProblem(entry, written) : shortFlagProblem(entry, written);
}

function longFlagProblem(entry: string, written: string): Omit<ExtraArgProblem, "index"> | undefined {
  // As FlexibleArgumentParser reads it: `_` → `-` before the first `.`, which starts a JSON key.
  const key = written.slice(2).split(".")[0].replace(/\+$/, "").replace(/_/g, "-");
  const flag = `--${key}`;
  if (!LONG_FLAG.test(flag)) {
    return { message: `"${entry}" is not spelt like a vLLM flag`, fix: "use vLLM's lowercase flag names, such as --max-logprobs=5" };
  }
  const spelt = flag === written ? "" : ` (vLLM reads "${written}" as ${flag})`;
  const candidates = key.startsWith("no-") ? [flag, `--${key.slice(3)}`] : [flag];
  for (const candidate of candidates) {
    const found = refusedSpelling(candidate, EXACT_FLAGS_BESIDE_REFUSED.has(candidate));
    if (found) return refusal(entry, found.spelling, found.abbreviated, spelt);
  }
  return undefined;
}

function shortFlagProblem(entry: string, written: string): Omit<ExtraArgProblem, "index"> | undefined {
  if (!SHORT_FLAG.test(written)) {
    return { message: `"${entry}" is not spelt like a vLLM flag`, fix: "use vLLM's flag names, such as --max-logprobs=5" };
  }
  // -O<level> is vLLM's optimisation level, rewritten before argparse sees it.
  if (written.startsWith("-O")) return undefined;
  const found = refusedSpelling(written, false);
  if (found) return refusal(entry, found.spelling, found.abbreviated, "");
  // A one-letter flag takes its value attached: `-qawq` is `-q awq`.
  const attached = written.slice(0, 2);
  if (written.length > 2 && ruleOf(attached)) {
    return refusal(entry, attached, false, ` (vLLM reads "${written}" as ${attached} ${written.slice(2)})`);
  }
  return undefined;
}

/** The refused spelling a flag names exactly or abbreviates. */
function refusedSpelling(flag: string, exactFlagOfItsOwn: boolean): { spelling: string; abbreviated: boolean } | undefined {
  if (ruleOf(flag)) return { spelling: flag, abbreviated: false };
  if (exactFlagOfItsOwn) return undefined;
  const longer = ALL_SPELLINGS.find((spelling) => spelling.startsWith(flag) && spelling.startsWith("--") === flag.startsWith("--"));
  return longer ? { spelling: longer, abbreviated: true } : undefined;
}

const ALL_SPELLINGS = [...MANAGED_VLLM_FLAGS.keys(), ...REFUSED_VLLM_FLAGS];

function ruleOf(spelling: string): ManagedFlag | RefusedFlag | undefined {
  return [...MANAGED, ...KIT_OWNED, ...DANGEROUS].find((rule) => rule.spellings.includes(spelling));
}

function refusal(entry: string, spelling: string, abbreviated: boolean, spelt: string): Omit<ExtraArgProblem, "index"> {
  const rule = ruleOf(spelling)!;
  const names = abbreviated
    ? `"${entry}" abbreviates ${spelling} (vLLM's parser accepts any unambiguous prefix)`
    : `"${entry}" sets ${spelling}${spelt}`;
  if ("field" in rule) {
    return { message: `${names}, which is managed by the kit from ${rule.field}`, fix: `set ${rule.field} instead of passing ${spelling}` };
  }
  const kitOwned = KIT_OWNED.includes(rule);
  return {
    message: `${names}, which is ${kitOwned ? "managed by the kit" : "refused"}: ${rule.reason}`,
    fix: rule.fix,
  };
}
