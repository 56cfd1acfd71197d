/**
 * What a model's vLLM server runs with, derived from its plan: command-line flags, probe
 * timing and resource requests. Pure, so the numbers are unit-tested without synthesizing.
 */
import type { PlannedModel } from "./load-environment";
import { VLLM_PORT } from "./names";
import type { ResolvedSpeculation } from "./validation/serving-options";

/** vLLM's OpenAI server module: accepts `--model` on every release (`vllm serve` wants it positional). */
export const VLLM_COMMAND = ["python3", "-m", "vllm.entrypoints.openai.api_server"];

/**
 * Where the Hugging Face cache lives in the pod; the model-cache volume is mounted here. Outside
 * /root: vLLM runs as a non-root user, which cannot enter root's home.
 */
export const HF_CACHE_PATH = "/cache/huggingface";

export function vllmArgs(model: PlannedModel): string[] {
  const { config, spec, plan } = model;
  const args = [
    `--model=${spec.hfRepo}`,
    `--served-model-name=${config.servedName}`,
    `--tensor-parallel-size=${config.tensorParallel}`,
    `--pipeline-parallel-size=${config.pipelineParallel}`,
    `--max-model-len=${plan.maxModelLen}`,
    `--gpu-memory-utilization=${plan.gpuMemoryUtilization}`,
    // Passed explicitly so the server profiles the batch the plan sized (vLLM's default depends on the GPU).
    `--max-num-batched-tokens=${plan.maxNumBatchedTokens}`,
    `--max-num-seqs=${plan.maxNumSeqs}`,
    "--enable-prefix-caching",
    `--host=0.0.0.0`,
    `--port=${VLLM_PORT}`,
  ];
  if (config.revision !== undefined) args.push(`--revision=${config.revision}`);
  if (config.dtype !== "auto") args.push(`--dtype=${config.dtype}`);
  if (config.quantization !== "none") args.push(`--quantization=${config.quantization}`);
  if (config.kvCacheDtype !== "auto") args.push(`--kv-cache-dtype=${config.kvCacheDtype}`);
  if (config.trustRemoteCode) args.push("--trust-remote-code");
  if (model.serving.toolCallParser) args.push("--enable-auto-tool-choice", `--tool-call-parser=${model.serving.toolCallParser}`);
  if (model.serving.speculative) args.push(`--speculative-config=${JSON.stringify(speculativeConfig(model.serving.speculative))}`);
  const { lora } = model.serving;
  if (lora) {
    // `name=path` (LoRAParserAction in vllm/entrypoints/openai/cli_args.py): names and repo ids hold no `=` or `,`.
    args.push("--enable-lora", `--max-lora-rank=${lora.maxRank}`, `--max-loras=${lora.maxLoras}`);
    args.push("--lora-modules", ...lora.adapters.map((adapter) => `${adapter.name}=${adapter.source}`));
  }
  if (plan.nodesPerReplica > 1) args.push("--distributed-executor-backend=ray");
  // Each entry one argv element, never joined or split: the schema refused flags the kit manages
  // and entries that hold a flag and its value together (core/schema/vllm-flags.ts).
  return [...args, ...config.extraArgs];
}

/** `--speculative-config` JSON, keys as vLLM's SpeculativeConfig names them (vllm/config/speculative.py). */
function speculativeConfig(speculation: ResolvedSpeculation): Record<string, string | number> {
  if (speculation.method === "draft") {
    return {
      method: "draft_model",
      model: speculation.draft.hfRepo,
      ...(speculation.revision === undefined ? {} : { revision: speculation.revision }),
      num_speculative_tokens: speculation.numSpeculativeTokens,
    };
  }
  return {
    method: "ngram",
    num_speculative_tokens: speculation.numSpeculativeTokens,
    ...(speculation.promptLookupMax === undefined ? {} : { prompt_lookup_max: speculation.promptLookupMax }),
    ...(speculation.promptLookupMin === undefined ? {} : { prompt_lookup_min: speculation.promptLookupMin }),
  };
}

/** Environment every vLLM container gets: no usage statistics or Hub telemetry leave the cluster. */
export const VLLM_PRIVACY_ENV: Record<string, string> = {
  VLLM_NO_USAGE_STATS: "1",
  DO_NOT_TRACK: "1",
  HF_HUB_DISABLE_TELEMETRY: "1",
  HF_HOME: HF_CACHE_PATH,
};

/**
 * Bytes of the weights a replica loads (and, without warm-up, downloads): the plan's, summed over
 * its GPUs, and a speculative draft's (its weights per GPU are split by TP).
 */
export function checkpointBytes(model: Pick<PlannedModel, "plan" | "config">): number {
  const draftBytes = model.plan.overheadBytesPerGpu.draftWeights * model.config.tensorParallel;
  return model.plan.weightBytesPerGpu * model.plan.gpusPerReplica + draftBytes;
}

/** The download rate budgeted for weights from the Hugging Face Hub (a cold start, the warm-up Job). */
export const DOWNLOAD_MEGABYTES_PER_SECOND = 50;

/** Loading the weights from the cache, compiling and capturing CUDA graphs. */
const LOAD_SECONDS = 600;

/**
 * Seconds the startup probe allows. With a warmed cache (`modelCache.warmup`, the default on a
 * cluster) the weights are on the volume before the pod exists, so only loading, compiling and
 * capturing CUDA graphs are budgeted (10 minutes). Without it a first start also downloads the
 * weights, budgeted at 50 MB/s.
 */
export function startupBudgetSeconds(model: Pick<PlannedModel, "plan" | "config">, cache: { warmed: boolean } = { warmed: false }): number {
  if (cache.warmed) return LOAD_SECONDS;
  return Math.ceil(LOAD_SECONDS + checkpointBytes(model) / 1e6 / DOWNLOAD_MEGABYTES_PER_SECOND);
}

export const STARTUP_PROBE_PERIOD_SECONDS = 10;
