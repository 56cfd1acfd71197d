/**
 * A model's architecture as its Hugging Face `config.json` states it, and the parameter count
 * derived from it. Pure: the loader and the CLI read the file, this reads the parsed JSON, so
 * catalog entries and user-supplied configs go through the same arithmetic.
 *
 * Field names follow transformers' configuration classes (LlamaConfig, Qwen2Config,
 * Qwen3MoeConfig, MixtralConfig, DeepseekV2Config, Starcoder2Config).
 */
import type { WeightDtype } from "./enums";
import { WEIGHT_DTYPES } from "./enums";

/** A checkpoint published already quantized (`quantization_config` in config.json). */
export interface CheckpointQuantization {
  method: "awq" | "gptq" | "fp8";
  /** Bits per quantized weight (`bits`); 8 for fp8. */
  bits: number;
}

/** Mixture-of-experts layers: every expert is resident, `expertsPerToken` run per token. */
export interface MoeShape {
  experts: number;
  expertsPerToken: number;
  /** Intermediate size of one expert. */
  expertIntermediateSize: number;
  /** Intermediate size of the always-on shared expert(s) together; 0 when there are none. */
  sharedIntermediateSize: number;
  /** Leading layers that keep a dense MLP (`first_k_dense_replace`). */
  denseLayers: number;
}

/** Multi-head latent attention (DeepSeek-V2/V3): the KV cache holds one compressed latent per layer. */
export interface MlaShape {
  kvLoraRank: number;
  qkRopeHeadDim: number;
  qkNopeHeadDim: number;
  vHeadDim: number;
  /** Absent: queries are projected directly (`q_lora_rank: null`). */
  qLoraRank?: number;
}

export interface ModelArchitecture {
  layers: number;
  hiddenSize: number;
  /** Intermediate size of a dense MLP layer. */
  intermediateSize: number;
  attentionHeads: number;
  /** Key/value heads (GQA); equal to attentionHeads for plain multi-head attention. */
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  /** config.json max_position_embeddings: the longest context the model supports. */
  maxPositions: number;
  /** The output projection shares the embedding matrix. */
  tieWordEmbeddings: boolean;
  /** SwiGLU-style MLP with gate, up and down projections; false for a two-matrix MLP (StarCoder2). */
  gatedMlp: boolean;
  /** Which linear layers carry a bias: Qwen2 biases q/k/v, StarCoder2 every projection. */
  linearBias: "none" | "qkv" | "all";
  defaultDtype: WeightDtype;
  moe?: MoeShape;
  mla?: MlaShape;
  checkpointQuantization?: CheckpointQuantization;
}

/** Parameters of the embedding matrix and, when untied, the output projection: kept in 16 bits by quantized checkpoints. */
export function embeddingParameters(arch: ModelArchitecture): number {
  return arch.vocabSize * arch.hiddenSize * (arch.tieWordEmbeddings ? 1 : 2);
}

/** Total parameters (all experts): embeddings, attention, MLP and norms of every layer. */
export function parameterCount(arch: ModelArchitecture): number {
  const h = arch.hiddenSize;
  const perLayerNorms = 2 * h;
  const attention = attentionParameters(arch);
  let mlps = 0;
  for (let layer = 0; layer < arch.layers; layer++) mlps += mlpParameters(arch, layer);
  return embeddingParameters(arch) + arch.layers * (attention + perLayerNorms) + mlps + h;
}

function attentionParameters(arch: ModelArchitecture): number {
  const { hiddenSize: h, attentionHeads: heads } = arch;
  if (arch.mla) {
    const { kvLoraRank, qkRopeHeadDim, qkNopeHeadDim, vHeadDim, qLoraRank } = arch.mla;
    const qHeadDim = qkNopeHeadDim + qkRopeHeadDim;
    const q = qLoraRank === undefined ? h * heads * qHeadDim : h * qLoraRank + qLoraRank + qLoraRank * heads * qHeadDim;
    const kvA = h * (kvLoraRank + qkRopeHeadDim) + kvLoraRank;
    const kvB = kvLoraRank * heads * (qkNopeHeadDim + vHeadDim);
    return q + kvA + kvB + heads * vHeadDim * h;
  }
  const q = heads * arch.headDim;
  const kv = arch.kvHeads * arch.headDim;
  const weights = h * q + 2 * h * kv + q * h;
  const bias = arch.linearBias === "none" ? 0 : q + 2 * kv + (arch.linearBias === "all" ? h : 0);
  return weights + bias;
}

function mlpParameters(arch: ModelArchitecture, layer: number): number {
  const h = arch.hiddenSize;
  const { moe } = arch;
  if (moe && layer >= moe.denseLayers) {
    const experts = moe.experts * 3 * h * moe.expertIntermediateSize;
    return experts + 3 * h * moe.sharedIntermediateSize + h * moe.experts;
  }
  const i = arch.intermediateSize;
  const matrices = arch.gatedMlp ? 3 : 2;
  return matrices * h * i + (arch.linearBias === "all" ? i + h : 0);
}

/** A field config.json lacks or states in a form the planner cannot use. */
export interface ConfigProblem {
  /** The config.json key, e.g. `num_hidden_layers`. */
  field: string;
  message: string;
}

export type ParsedModelConfig = { ok: true; architecture: ModelArchitecture } | { ok: false; problems: ConfigProblem[] };

/** Model types whose MLP has two matrices (up and down) instead of three. */
const TWO_MATRIX_MLP_MODEL_TYPES = ["starcoder2"];
/** Model types whose attention projections carry a bias although config.json has no flag for it. */
const QKV_BIAS_MODEL_TYPES = ["qwen2"];

/**
 * Reads the fields the planner needs from a parsed config.json. A field that is missing or not
 * a positive whole number is a problem naming that field; nothing is guessed that would make
 * the plan rosier. Absent `tie_word_embeddings` counts the output projection separately (more
 * weights, so the estimate errs low).
 */
export function parseModelConfig(json: unknown): ParsedModelConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, problems: [{ field: "(file)", message: "config.json is not a JSON object" }] };
  }
  const config = json as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const count = (field: string, why: string): number => {
    const value = config[field];
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
    problems.push({
      field,
      message:
        value === undefined
          ? `config.json has no ${field} (${why})`
          : `${field} must be a positive whole number, got ${JSON.stringify(value)}`,
    });
    return 1;
  };
  const optionalCount = (field: string, { zeroAllowed = false } = {}): number | undefined => {
    const value = config[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value) && value >= (zeroAllowed ? 0 : 1)) return value;
    const kind = zeroAllowed ? "a whole number of at least 0" : "a positive whole number";
    problems.push({ field, message: `${field} must be ${kind}, got ${JSON.stringify(value)}` });
    return undefined;
  };

  const layers = count("num_hidden_layers", "the layer count sizes weights and the KV cache");
  const hiddenSize = count("hidden_size", "the hidden size sizes weights and activations");
  const attentionHeads = count("num_attention_heads", "tensor parallelism must divide the attention heads");
  const intermediateSize = count("intermediate_size", "the MLP width sizes weights and the profiling pass");
  const vocabSize = count("vocab_size", "the vocabulary sizes the embeddings and the sampler");
  const maxPositions = count("max_position_embeddings", "it bounds maxModelLen");
  // LlamaConfig: "If it is not specified, will default to num_attention_heads" (multi-head attention).
  const kvHeads = optionalCount("num_key_value_heads") ?? attentionHeads;
  const headDim = optionalCount("head_dim") ?? Math.floor(hiddenSize / attentionHeads);
  const modelType = typeof config.model_type === "string" ? config.model_type : "";

  const architecture: ModelArchitecture = {
    layers,
    hiddenSize,
    intermediateSize,
    attentionHeads,
    kvHeads,
    headDim,
    vocabSize,
    maxPositions,
    tieWordEmbeddings: config.tie_word_embeddings === true,
    gatedMlp: !TWO_MATRIX_MLP_MODEL_TYPES.includes(modelType),
    linearBias:
      config.use_bias === true ? "all" : config.attention_bias === true || QKV_BIAS_MODEL_TYPES.includes(modelType) ? "qkv" : "none",
    defaultDtype: weightDtype(config, problems),
  };
  const moe = moeShape(config, intermediateSize, count, optionalCount);
  if (moe) architecture.moe = moe;
  if (config.kv_lora_rank !== undefined && config.kv_lora_rank !== null) {
    architecture.mla = {
      kvLoraRank: count("kv_lora_rank", "the MLA latent sizes the KV cache"),
      qkRopeHeadDim: count("qk_rope_head_dim", "the MLA rope part sizes the KV cache"),
      qkNopeHeadDim: count("qk_nope_head_dim", "it sizes the MLA query and key projections"),
      vHeadDim: count("v_head_dim", "it sizes the MLA value and output projections"),
    };
    const qLoraRank = optionalCount("q_lora_rank");
    if (qLoraRank !== undefined) architecture.mla.qLoraRank = qLoraRank;
  }
  const quantization = checkpointQuantization(config.quantization_config, problems);
  if (quantization) architecture.checkpointQuantization = quantization;
  if (problems.length === 0 && attentionHeads % kvHeads !== 0) {
    problems.push({
      field: "num_key_value_heads",
      message: `num_key_value_heads ${kvHeads} must divide num_attention_heads ${attentionHeads}`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, architecture };
}

/** `torch_dtype` (or `dtype`, its newer name); float32 checkpoints are served in 16 bits with `--dtype auto`. */
function weightDtype(config: Record<string, unknown>, problems: ConfigProblem[]): WeightDtype {
  const field = config.torch_dtype !== undefined ? "torch_dtype" : "dtype";
  const value = config[field];
  if (value === undefined || value === null) return "bfloat16";
  if (typeof value === "string" && (WEIGHT_DTYPES as readonly string[]).includes(value)) return value as WeightDtype;
  problems.push({ field, message: `${field} must be one of ${WEIGHT_DTYPES.join(", ")}, got ${JSON.stringify(value)}` });
  return "bfloat16";
}

/**
 * Experts under the names the families use: `n_routed_experts` (DeepSeek), `num_local_experts`
 * (Mixtral), `num_experts` (Qwen MoE). An expert's width is `moe_intermediate_size`, or
 * `intermediate_size` where the family has no separate field (Mixtral).
 */
function moeShape(
  config: Record<string, unknown>,
  intermediateSize: number,
  count: (field: string, why: string) => number,
  optionalCount: (field: string, options?: { zeroAllowed?: boolean }) => number | undefined,
): MoeShape | undefined {
  const expertsField = ["n_routed_experts", "num_local_experts", "num_experts"].find((f) => config[f] !== undefined && config[f] !== null);
  if (!expertsField) return undefined;
  const experts = count(expertsField, "every expert is resident in GPU memory");
  const expertIntermediateSize = optionalCount("moe_intermediate_size") ?? intermediateSize;
  const sharedExperts = optionalCount("n_shared_experts", { zeroAllowed: true }) ?? 0;
  return {
    experts,
    expertsPerToken: count("num_experts_per_tok", "the active experts size the profiling pass"),
    expertIntermediateSize,
    sharedIntermediateSize:
      optionalCount("shared_expert_intermediate_size", { zeroAllowed: true }) ?? sharedExperts * expertIntermediateSize,
    denseLayers: optionalCount("first_k_dense_replace", { zeroAllowed: true }) ?? 0,
  };
}

function checkpointQuantization(value: unknown, problems: ConfigProblem[]): CheckpointQuantization | undefined {
  if (value === undefined || value === null) return undefined;
  const config = typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const method = config.quant_method;
  if (method === "fp8") return { method: "fp8", bits: 8 };
  if (method === "awq" || method === "gptq") {
    const bits = config.bits ?? 4;
    if (bits === 4 || bits === 8) return { method, bits };
    problems.push({
      field: "quantization_config.bits",
      message: `the planner sizes ${method} checkpoints of 4 or 8 bits, got ${JSON.stringify(bits)}`,
    });
    return undefined;
  }
  problems.push({
    field: "quantization_config.quant_method",
    message: `the planner sizes awq, gptq and fp8 checkpoints, not ${JSON.stringify(method ?? null)}`,
  });
  return undefined;
}
