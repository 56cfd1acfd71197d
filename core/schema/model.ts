import { z } from "zod";
import { MODEL_IDS } from "../catalog/models";
import { FIM_TEMPLATES, MODEL_ROLES, NO_FIM } from "../contract/outputs";
import { KV_CACHE_DTYPES, QUANTIZATIONS, SERVING_DTYPES, WEIGHT_DTYPES } from "../enums";
import { dnsLabel } from "./serving";

/** vLLM flags the kit sets from the plan; setting them again in extraArgs would contradict it. */
export const MANAGED_VLLM_FLAGS = [
  "--model",
  "--served-model-name",
  "--tensor-parallel-size",
  "-tp",
  "--pipeline-parallel-size",
  "-pp",
  "--max-model-len",
  "--gpu-memory-utilization",
  "--dtype",
  "--quantization",
  "-q",
  "--kv-cache-dtype",
  "--enable-prefix-caching",
  "--host",
  "--port",
  "--api-key",
  "--download-dir",
  "--distributed-executor-backend",
] as const;

const inlineModel = z.strictObject({
  hfRepo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { error: "expected a Hugging Face repo id such as org/model" })
    .meta({
      description: "Hugging Face repo id passed to vLLM's `--model`.",
      examples: ["my-org/my-coder-13b"],
    }),
  parametersB: z
    .number()
    .positive()
    .meta({ description: "Total parameters, in billions (all experts for MoE models).", examples: [13.0] }),
  layers: z
    .number()
    .int()
    .positive()
    .meta({ description: "`num_hidden_layers` in the model's config.json.", examples: [40] }),
  hiddenSize: z
    .number()
    .int()
    .positive()
    .meta({ description: "`hidden_size` in config.json.", examples: [5120] }),
  attentionHeads: z
    .number()
    .int()
    .positive()
    .meta({ description: "`num_attention_heads` in config.json.", examples: [40] }),
  kvHeads: z
    .number()
    .int()
    .positive()
    .meta({
      description:
        "`num_key_value_heads` in config.json (grouped-query attention); equal to `attentionHeads` for plain multi-head attention.",
      examples: [8],
    }),
  headDim: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({
      description: "`head_dim` in config.json. Absent: `hiddenSize / attentionHeads`.",
      examples: [128],
    }),
  maxPositions: z
    .number()
    .int()
    .positive()
    .meta({
      description: "`max_position_embeddings` in config.json: the longest context the model supports.",
      examples: [16384],
    }),
  defaultDtype: z.enum(WEIGHT_DTYPES).default("bfloat16").meta({ description: "`torch_dtype` of the published weights." }),
  fimTemplate: z.enum(FIM_TEMPLATES).default(NO_FIM).meta({
    description: "Fill-in-the-middle prompt family; `none` for chat-only models, which cannot serve `role: completion` or `both`.",
  }),
});

export const modelSchema = z.strictObject({
  servedName: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: "use lowercase letters, digits, '.', '_' and '-'" })
    .meta({
      description: "The name clients send as `model` (vLLM's `--served-model-name`); unique in the environment.",
      examples: ["qwen2.5-coder-7b"],
    }),
  model: z
    .union([
      z.string().min(1),
      inlineModel.meta({ description: "A model outside the catalog, described by the facts of its config.json." }),
    ])
    .meta({
      description:
        "A model catalog id, the Hugging Face repo id of a catalog model, or an inline description of a model outside the catalog.",
      examples: [...MODEL_IDS],
    }),
  role: z.enum(MODEL_ROLES).meta({
    description: "`completion`: inline completions (needs a fill-in-the-middle model); `chat`: chat, edits and terminal help; `both`.",
    examples: ["both"],
  }),
  pool: dnsLabel.meta({ description: "Name of the GPU pool the model runs on.", examples: ["workstation"] }),
  replicas: z.number().int().min(0, { error: "replicas cannot be negative; use 0 to stop serving" }).default(1).meta({
    description: "vLLM servers of the model, each with `tensorParallel × pipelineParallel` GPUs; 0 stops serving it.",
  }),
  tensorParallel: z.number().int().min(1).default(1).meta({
    description: "GPUs each layer is split across (vLLM's `--tensor-parallel-size`); must divide the attention heads and fit on one node.",
  }),
  pipelineParallel: z.number().int().min(1).default(1).meta({
    description:
      "Stages the layers are split into (`--pipeline-parallel-size`), at most the layer count. `tensorParallel × pipelineParallel` above the GPUs of one node spans nodes (a LeaderWorkerSet, whole nodes only).",
  }),
  maxModelLen: z
    .number()
    .int()
    .min(256)
    .optional()
    .meta({
      description:
        "Context length in tokens (`--max-model-len`), at most the model's maximum. Absent: the model's maximum, capped to what the KV cache holds.",
      examples: [32768],
    }),
  dtype: z.enum(SERVING_DTYPES).default("auto").meta({ description: "Weight and activation dtype (`--dtype`); `auto`: the model's own." }),
  quantization: z.enum(QUANTIZATIONS).default("none").meta({
    description: "Weight quantization (`--quantization`); `awq` and `gptq` need a checkpoint published that way.",
  }),
  kvCacheDtype: z.enum(KV_CACHE_DTYPES).default("auto").meta({
    description: "KV-cache dtype (`--kv-cache-dtype`); `fp8` halves the cache per token, so more tokens fit.",
  }),
  gpuMemoryUtilization: z.number().gt(0.1).max(0.98).default(0.9).meta({
    description: "Fraction of each GPU's memory vLLM may use for weights, activations and KV cache (`--gpu-memory-utilization`).",
  }),
  extraArgs: z
    .array(z.string())
    .default([])
    .superRefine((args, ctx) => {
      args.forEach((arg, index) => {
        const flag = arg.split("=")[0];
        if ((MANAGED_VLLM_FLAGS as readonly string[]).includes(flag)) {
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `${flag} is managed by the kit; set the matching model field (servedName, tensorParallel, maxModelLen, …) instead`,
          });
        }
      });
    })
    .meta({
      description: "More vLLM flags, one per entry. Flags the kit sets from the fields above are refused (set the field instead).",
      examples: [["--enable-chunked-prefill", "--max-num-seqs=64"]],
    }),
});

export type ModelConfig = z.infer<typeof modelSchema>;
