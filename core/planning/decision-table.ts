/**
 * The scale-out decision table of docs/scale-out.md (model size × GPU type → layout, replicas,
 * routing), computed by the planner so the document never states a figure it would not plan.
 * `npm run docs:gen` writes it; a drift test fails when the committed table differs.
 */
import { findGpu, type GpuSpec } from "../catalog/gpus";
import { findModel, type ModelSpec } from "../catalog/models";
import { PINNED_VLLM_TAG, findVllmRelease } from "./vllm-versions";
import { DEFAULT_TYPICAL_REQUEST_TOKENS, planModel, validTensorParallelSizes, type GpuPlan } from "./planner";

/** Models of the table: one per size class a team picks between. */
export const DECISION_TABLE_MODELS = [
  "qwen2.5-coder-7b-instruct",
  "qwen2.5-coder-14b-instruct",
  "qwen3-coder-30b-a3b-instruct",
  "qwen2.5-coder-32b-instruct",
  "llama-3.1-70b-instruct",
] as const;

/** GPUs of the table: a 24 GB card, a 48 GB card and an 80 GB datacenter GPU. */
export const DECISION_TABLE_GPUS = ["L4", "L40S", "H100-80GB"] as const;

/** The context every row is planned at: a long file plus its neighbours' context. */
export const DECISION_TABLE_MAX_MODEL_LEN = 16_384;

/** GPUs of one node the table allows a replica (one node, tensor parallelism only). */
const NODE_GPUS = 8;

export interface DecisionRow {
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  /** The smallest tensor-parallel size that holds the model at the table's context; absent: none on one node. */
  readonly tensorParallel?: number;
  readonly plan?: GpuPlan;
}

/** The smallest one-node layout of each model on each GPU, with 16-bit weights and KV cache. */
export function decisionTable(): DecisionRow[] {
  const vllm = findVllmRelease(PINNED_VLLM_TAG)!;
  return DECISION_TABLE_MODELS.flatMap((modelId) => {
    const model = findModel(modelId)!;
    return DECISION_TABLE_GPUS.map((gpuId) => {
      const gpu = findGpu(gpuId)!;
      for (const tensorParallel of validTensorParallelSizes(model, NODE_GPUS)) {
        const result = planModel({
          model,
          gpu,
          vllm,
          gpusPerNode: NODE_GPUS,
          gpusAvailable: NODE_GPUS,
          tensorParallel,
          pipelineParallel: 1,
          maxModelLen: DECISION_TABLE_MAX_MODEL_LEN,
          quantization: "none",
          kvCacheDtype: "auto",
          typicalRequestTokens: DEFAULT_TYPICAL_REQUEST_TOKENS,
        });
        if (result.ok) return { model, gpu, tensorParallel, plan: result.plan };
      }
      return { model, gpu };
    });
  });
}

/** How a row's model grows past one replica. */
export function scalingAdvice(row: DecisionRow): string {
  if (!row.tensorParallel || !row.plan)
    return "does not fit one 8-GPU node: a replica spanning nodes (pipelineParallel), fp8 weights or a larger GPU";
  const perNode = Math.floor(NODE_GPUS / row.tensorParallel);
  const router = "more replicas behind the cache-aware router";
  return perNode > 1 ? `${router}, ${perNode} per 8-GPU node` : `${router}, one 8-GPU node each`;
}

export function renderDecisionTable(rows: readonly DecisionRow[] = decisionTable()): string {
  const number = (n: number) => n.toLocaleString("en-US");
  const lines = [
    `| model | GPU | layout per replica | KV-cache tokens per replica | requests at once (${number(DEFAULT_TYPICAL_REQUEST_TOKENS)} tokens each) | to serve more |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => {
      const model = `${row.model.id} (${row.model.parametersB} B)`;
      if (!row.tensorParallel || !row.plan) return `| ${model} | ${row.gpu.id} | — | — | — | ${scalingAdvice(row)} |`;
      return (
        `| ${model} | ${row.gpu.id} | ${row.tensorParallel} GPU(s), TP ${row.tensorParallel} | ${number(row.plan.kvCacheTokens)} | ` +
        `${number(Math.floor(row.plan.concurrencyAtTypicalLength))} | ${scalingAdvice(row)} |`
      );
    }),
  ];
  return `${lines.join("\n")}\n`;
}
