import { z } from "zod";
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
  hfRepo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "expected a Hugging Face repo id such as org/model" }),
  parametersB: z.number().positive(),
  layers: z.number().int().positive(),
  hiddenSize: z.number().int().positive(),
  attentionHeads: z.number().int().positive(),
  kvHeads: z.number().int().positive(),
  headDim: z.number().int().positive().optional(),
  maxPositions: z.number().int().positive(),
  defaultDtype: z.enum(WEIGHT_DTYPES).default("bfloat16"),
  fimTemplate: z.enum(FIM_TEMPLATES).default(NO_FIM),
});

export const modelSchema = z.strictObject({
  /** The name clients send as `model` (vLLM's --served-model-name). */
  servedName: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: "use lowercase letters, digits, '.', '_' and '-'" }),
  /** A catalog id, a Hugging Face repo id of a catalog model, or an inline description. */
  model: z.union([z.string().min(1), inlineModel]),
  role: z.enum(MODEL_ROLES),
  pool: dnsLabel,
  replicas: z.number().int().min(0, { error: "replicas cannot be negative; use 0 to stop serving" }).default(1),
  tensorParallel: z.number().int().min(1).default(1),
  pipelineParallel: z.number().int().min(1).default(1),
  maxModelLen: z.number().int().min(256).optional(),
  dtype: z.enum(SERVING_DTYPES).default("auto"),
  quantization: z.enum(QUANTIZATIONS).default("none"),
  kvCacheDtype: z.enum(KV_CACHE_DTYPES).default("auto"),
  gpuMemoryUtilization: z.number().gt(0.1).max(0.98).default(0.9),
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
    }),
});

export type ModelConfig = z.infer<typeof modelSchema>;
