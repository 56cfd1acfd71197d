import { z } from "zod";
import { MODEL_IDS } from "../catalog/models";
import { FIM_TEMPLATES, MODEL_ROLES, NO_FIM } from "../contract/outputs";
import { KV_CACHE_DTYPES, QUANTIZATIONS, SERVING_DTYPES, WEIGHT_DTYPES } from "../enums";
import { DEFAULT_TYPICAL_REQUEST_TOKENS } from "../planning/planner";
import { DEFAULT_ROUTER_REPLICAS, DEFAULT_ROUTING_POLICY, ROUTING_POLICIES } from "../scale/routing";
import { modelAutoscalingSchema } from "./autoscaling";
import { huggingFaceRepoId, huggingFaceRevision, servedModelName } from "./identifiers";
import { dnsLabel } from "./serving";
import { loraField, speculativeField, toolCallingField, toolCallParserField } from "./serving-options";
import { extraArgProblems } from "./vllm-flags";

/** Plausible ranges: a value outside them is a typo, not a model (the largest open models have ~2T parameters). */
const inlineModel = z
  .strictObject({
    hfRepo: huggingFaceRepoId("org/model").meta({
      description: "Hugging Face repo id passed to vLLM's `--model`.",
      examples: ["my-org/my-coder-13b"],
    }),
    parametersB: z
      .number()
      .positive()
      .max(5000)
      .meta({ description: "Total parameters, in billions (all experts for MoE models).", examples: [13.0] }),
    layers: z
      .number()
      .int()
      .positive()
      .max(1000)
      .meta({ description: "`num_hidden_layers` in the model's config.json.", examples: [40] }),
    hiddenSize: z
      .number()
      .int()
      .positive()
      .max(1_000_000)
      .meta({ description: "`hidden_size` in config.json.", examples: [5120] }),
    attentionHeads: z
      .number()
      .int()
      .positive()
      .max(4096)
      .meta({ description: "`num_attention_heads` in config.json.", examples: [40] }),
    kvHeads: z
      .number()
      .int()
      .positive()
      .max(4096)
      .meta({
        description:
          "`num_key_value_heads` in config.json (grouped-query attention); equal to `attentionHeads` for plain multi-head attention.",
        examples: [8],
      }),
    headDim: z
      .number()
      .int()
      .positive()
      .max(65536)
      .optional()
      .meta({
        description: "`head_dim` in config.json. Absent: `hiddenSize / attentionHeads`.",
        examples: [128],
      }),
    maxPositions: z
      .number()
      .int()
      .min(256)
      .max(100_000_000)
      .meta({
        description: "`max_position_embeddings` in config.json: the longest context the model supports.",
        examples: [16384],
      }),
    defaultDtype: z.enum(WEIGHT_DTYPES).default("bfloat16").meta({ description: "`torch_dtype` of the published weights." }),
    fimTemplate: z.enum(FIM_TEMPLATES).default(NO_FIM).meta({
      description: "Fill-in-the-middle prompt family; `none` for chat-only models, which cannot serve `role: completion` or `both`.",
    }),
    toolCallParser: toolCallParserField,
  })
  .superRefine((model, ctx) => {
    // The shapes grouped-query attention allows: each KV head serves a whole group of query heads.
    if (model.kvHeads > model.attentionHeads) {
      ctx.addIssue({
        code: "custom",
        path: ["kvHeads"],
        message: `kvHeads ${model.kvHeads} is more than attentionHeads ${model.attentionHeads}`,
        params: { fix: "copy num_key_value_heads and num_attention_heads from the model's config.json" },
      });
    } else if (model.attentionHeads % model.kvHeads !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["kvHeads"],
        message: `attentionHeads ${model.attentionHeads} is not a multiple of kvHeads ${model.kvHeads}`,
        params: { fix: "copy num_key_value_heads and num_attention_heads from the model's config.json" },
      });
    }
    if (model.headDim === undefined && model.hiddenSize % model.attentionHeads !== 0) {
      ctx.addIssue({
        code: "custom",
        path: ["hiddenSize"],
        message: `hiddenSize ${model.hiddenSize} does not divide into ${model.attentionHeads} attention heads`,
        params: { fix: "set headDim from config.json (head_dim), or correct hiddenSize and attentionHeads" },
      });
    }
  });

/**
 * A model outside the catalog described by its own config.json: the loader reads the file (a
 * path relative to the environment file, inside the repository) and the planner derives the
 * architecture and parameter count from it.
 */
const configFileModel = z.strictObject({
  // First, so the generated reference names this variant after it.
  config: z
    .string()
    .min(1)
    .max(1024)
    .meta({
      description:
        "Path of the model's config.json (downloaded from its Hugging Face repo), relative to the environment file and inside the repository.",
      examples: ["models/my-coder-13b/config.json"],
    }),
  hfRepo: inlineModel.shape.hfRepo,
  fimTemplate: inlineModel.shape.fimTemplate,
  toolCallParser: toolCallParserField,
});

export const modelSchema = z.strictObject({
  servedName: servedModelName().meta({
    description: "The name clients send as `model` (vLLM's `--served-model-name`); unique in the environment.",
    examples: ["qwen2.5-coder-7b"],
  }),
  model: z
    .union([
      z.string().min(1),
      inlineModel.meta({ description: "A model outside the catalog, described by the facts of its config.json." }),
      configFileModel.meta({ description: "A model outside the catalog, described by its config.json file." }),
    ])
    .meta({
      description:
        "A model catalog id, the Hugging Face repo id of a catalog model, or an inline description of a model outside the catalog.",
      examples: [...MODEL_IDS],
    }),
  revision: huggingFaceRevision()
    .optional()
    .meta({
      description:
        "The revision of the model's Hugging Face repo that vLLM loads (`--revision`; its tokenizer follows) and the cache warm-up downloads and verifies. A commit id pins exactly those weights; a branch or tag follows whatever the Hub points it at. Absent: the repo's default branch, main.",
      examples: ["0123456789abcdef0123456789abcdef01234567"],
    }),
  role: z.enum(MODEL_ROLES).meta({
    description: "`completion`: inline completions (needs a fill-in-the-middle model); `chat`: chat, edits and terminal help; `both`.",
    examples: ["both"],
  }),
  pool: dnsLabel.meta({ description: "Name of the GPU pool the model runs on.", examples: ["workstation"] }),
  replicas: z.number().int().min(0, { error: "replicas cannot be negative; use 0 to stop serving" }).default(1).meta({
    description:
      "vLLM servers of the model, each with `tensorParallel × pipelineParallel` GPUs; 0 stops serving it. Leave it out when `autoscaling` is set.",
  }),
  autoscaling: modelAutoscalingSchema.optional().meta({
    description:
      "Scale the model's replicas on its queue depth with KEDA (docs/scale-out.md). Replaces `replicas`: set one or the other. Needs monitoring (the trigger reads the environment's Prometheus); the model gets a router.",
    examples: [{ minReplicas: 2, maxReplicas: 4 }],
  }),
  router: z
    .strictObject({
      policy: z.enum(ROUTING_POLICIES).default(DEFAULT_ROUTING_POLICY).meta({
        description:
          "How the router picks a replica: `cache-aware` sends a request where its prefix is already cached (falling back to the least loaded replica); `round-robin` takes turns; `session` keeps the requests of one conversation on one replica (consistent hashing).",
      }),
      replicas: z.number().int().min(1).max(5).default(DEFAULT_ROUTER_REPLICAS).meta({
        description: "Router pods (CPU only); with 2 or more one survives a node drain.",
      }),
    })
    .optional()
    .meta({
      description: `The router (vllm-project/router) in front of a model with more than one replica. Absent: such a model gets one with the \`${DEFAULT_ROUTING_POLICY}\` policy. Set with \`replicas: 1\` it is refused: one replica has nothing to route between.`,
      examples: [{ policy: "cache-aware" }],
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
  gpuMemoryUtilization: z
    .number()
    .gt(0.1)
    .max(0.98)
    .optional()
    .meta({
      description:
        "Fraction of each GPU's memory vLLM may use for weights, activations and KV cache (`--gpu-memory-utilization`), as CUDA reports it. Absent: the pinned vLLM release's default (0.92 since v0.21, 0.9 before).",
      examples: [0.92],
    }),
  maxNumBatchedTokens: z
    .number()
    .int()
    .min(16)
    .max(1_048_576)
    .optional()
    .meta({
      description:
        "Tokens one scheduler step processes (`--max-num-batched-tokens`); vLLM's profiling pass runs this many, so it sizes the activation memory. Absent: the release's default for the GPU (2048 below 70 GiB or on an A100, 8192 above, 16384 from 160 GiB on v0.29).",
      examples: [8192],
    }),
  maxNumSeqs: z
    .number()
    .int()
    .min(1)
    .max(65_536)
    .optional()
    .meta({
      description:
        "Requests served at once at most (`--max-num-seqs`). Absent: the release's default for the GPU (256, or 1024 from 70 GiB except on an A100).",
      examples: [256],
    }),
  typicalRequestTokens: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(DEFAULT_TYPICAL_REQUEST_TOKENS)
    .meta({
      description:
        "Tokens of a typical request, prompt and answer together: the plan reports how many such requests the KV cache serves at once. No effect on the server.",
      examples: [4096],
    }),
  toolCalling: toolCallingField,
  speculative: speculativeField,
  lora: loraField,
  trustRemoteCode: z.boolean().default(false).meta({
    description:
      "`true` lets vLLM run the Python code the model's repository ships (`--trust-remote-code`), which some architectures need: that code runs in the vLLM pod with its access. The only way to pass the flag.",
  }),
  extraArgs: z
    .array(z.string().max(4096, { error: "an extraArgs entry has at most 4096 characters" }))
    .max(64, { error: "at most 64 extraArgs entries" })
    .default([])
    .superRefine((args, ctx) => {
      for (const problem of extraArgProblems(args)) {
        ctx.addIssue({ code: "custom", path: [problem.index], message: problem.message, params: { fix: problem.fix } });
      }
    })
    .meta({
      description:
        "More vLLM flags: each entry is one argument (`--flag=value`, or `--flag` then its value), passed to vLLM without a shell. Flags the kit sets from the fields above are refused in every spelling vLLM accepts (set the field instead), and so are flags that would run code or read files (`--config`, `--middleware`, …).",
      examples: [["--enable-chunked-prefill", "--max-logprobs=5"]],
    }),
});

export type ModelConfig = z.infer<typeof modelSchema>;
