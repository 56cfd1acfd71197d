/** The decision table of docs/scale-out.md: each row the smallest one-node layout the planner accepts. */
import { withDecisionTable } from "../../cli/gen-docs";
import { PINNED_VLLM_TAG } from "../../core/planning/vllm-versions";
import {
  DECISION_TABLE_GPUS,
  DECISION_TABLE_MAX_MODEL_LEN,
  DECISION_TABLE_MODELS,
  decisionTable,
  renderDecisionTable,
  scalingAdvice,
} from "../../core/planning/decision-table";
import { planModel, validTensorParallelSizes } from "../../core/planning/planner";
import { planInput, vllmRelease } from "../helpers/planner";

const rows = decisionTable();
const planAt = (row: (typeof rows)[number], tensorParallel: number) =>
  planModel(
    planInput({
      model: row.model,
      gpu: row.gpu,
      vllm: vllmRelease(PINNED_VLLM_TAG),
      gpusPerNode: 8,
      gpusAvailable: 8,
      tensorParallel,
      maxModelLen: DECISION_TABLE_MAX_MODEL_LEN,
    }),
  );

it("has a row for every model on every GPU", () => {
  expect(rows.map((row) => `${row.model.id}@${row.gpu.id}`)).toEqual(
    DECISION_TABLE_MODELS.flatMap((model) => DECISION_TABLE_GPUS.map((gpu) => `${model}@${gpu}`)),
  );
});

it.each(rows.map((row) => [`${row.model.id} on ${row.gpu.id}`, row] as const))(
  "%s: the smallest tensor-parallel size that fits",
  (_, row) => {
    const sizes = validTensorParallelSizes(row.model, 8);
    const fitting = sizes.filter((tp) => planAt(row, tp).ok);
    expect(row.tensorParallel).toBe(fitting[0]);
    if (row.tensorParallel) {
      const plan = planAt(row, row.tensorParallel);
      expect(plan.ok && plan.plan.kvCacheTokens).toBe(row.plan!.kvCacheTokens);
    }
  },
);

it("sends a 7B model on an L4 to replicas behind the router, eight to a node", () => {
  const row = rows.find((r) => r.model.id === "qwen2.5-coder-7b-instruct" && r.gpu.id === "L4")!;
  expect(row.tensorParallel).toBe(1);
  expect(scalingAdvice(row)).toBe("more replicas behind the cache-aware router, 8 per 8-GPU node");
  expect(renderDecisionTable([row])).toContain(
    `| qwen2.5-coder-7b-instruct (7.62 B) | L4 | 1 GPU(s), TP 1 | ${row.plan!.kvCacheTokens.toLocaleString("en-US")} |`,
  );
});

it("needs a whole 8-GPU node per replica of a 70B model on L4s", () => {
  const row = rows.find((r) => r.model.id === "llama-3.1-70b-instruct" && r.gpu.id === "L4")!;
  expect(row.tensorParallel).toBe(8);
  expect(scalingAdvice(row)).toBe("more replicas behind the cache-aware router, one 8-GPU node each");
});

it("says what to do where no one-node layout fits", () => {
  const row = { ...rows[0], tensorParallel: undefined, plan: undefined };
  expect(renderDecisionTable([row])).toContain(
    "| — | — | — | does not fit one 8-GPU node: a replica spanning nodes (pipelineParallel), fp8 weights or a larger GPU |",
  );
});

it("is written between the guide's markers, the prose around them kept", () => {
  const guide = "before\n<!-- generated: decision table -->\nstale\n<!-- end generated: decision table -->\nafter\n";
  const written = withDecisionTable(guide);
  expect(written.startsWith("before\n<!-- generated: decision table -->\n\n| model | GPU |")).toBe(true);
  expect(written.endsWith("|\n\n<!-- end generated: decision table -->\nafter\n")).toBe(true);
  expect(written).not.toContain("stale");
  expect(() => withDecisionTable("no markers")).toThrow("lost its decision-table markers");
});
