/**
 * Autoscaling on queue depth: a model's `autoscaling` section and the environment's
 * `autoscaling` section (where KEDA comes from). What needs more than one field (the pool's
 * room, the role, the target) is checked by core/validation/autoscaling.ts.
 */
import { z } from "zod";
import { namespaceProblem } from "./kubernetes-names";

/**
 * Upper bound of the HPA scale-down stabilization window: "StabilizationWindowSeconds must be greater
 * than or equal to zero and less than or equal to 3600 (one hour)" (the autoscaling/v2
 * HPAScalingRules API reference, as k8s-openapi renders it on docs.rs; read 2026-11-26).
 */
export const MAX_COOLDOWN_SECONDS = 3600;

/** Where KEDA comes from: the kit's pinned release, or one already on the cluster. */
export const KEDA_SOURCES = ["install", "existing"] as const;
export type KedaSource = (typeof KEDA_SOURCES)[number];

export const modelAutoscalingSchema = z
  .strictObject({
    minReplicas: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .meta({
        description:
          "Replicas kept while there is demand, and the count the Deployment starts with. At least 1: see `scaleToZero` for idling at zero.",
        examples: [2],
      }),
    maxReplicas: z
      .number()
      .int()
      .min(1)
      .max(64)
      .meta({
        description:
          "Replicas at most. The pool must be able to hold them all (on aws: `maxNodes` of the pool's node group), or synth refuses.",
        examples: [4],
      }),
    queueDepthPerReplica: z
      .number()
      .positive()
      .max(10_000)
      .default(4)
      .meta({
        description:
          "Target of `vllm:num_requests_waiting` per replica: KEDA adds replicas while the model's waiting requests, summed over its replicas, exceed this many per replica.",
        examples: [4],
      }),
    kvCacheUsage: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .meta({
        description:
          "Also scale out when the replicas' average `vllm:kv_cache_usage_perc` passes this fraction (0–1]. Absent: queue depth only.",
        examples: [0.85],
      }),
    cooldownSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_COOLDOWN_SECONDS)
      .optional()
      .meta({
        description: `Seconds demand must stay low before a replica is removed (the HPA's scale-down stabilization window, and KEDA's \`cooldownPeriod\` before idling at zero). Absent: the model's startup budget (capped at ${MAX_COOLDOWN_SECONDS}): a replica removed takes that long to bring back.`,
        examples: [900],
      }),
    scaleToZero: z.boolean().default(false).meta({
      description:
        "`true`: with no request reaching the model's router for `cooldownSeconds`, its replicas stop (the GPUs are freed); the next request starts one, and waits its whole startup. Refused on models with role `completion` or `both`: inline completions cannot wait minutes.",
    }),
  })
  .superRefine((autoscaling, ctx) => {
    if (autoscaling.minReplicas > autoscaling.maxReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["minReplicas"],
        message: `minReplicas ${autoscaling.minReplicas} is above maxReplicas ${autoscaling.maxReplicas}`,
        params: {
          fix: `lower minReplicas to at most ${autoscaling.maxReplicas}, or raise maxReplicas to at least ${autoscaling.minReplicas}`,
        },
      });
    }
  });

export type ModelAutoscaling = z.infer<typeof modelAutoscalingSchema>;

export const environmentAutoscalingSchema = z.strictObject({
  keda: z.enum(KEDA_SOURCES).default("install").meta({
    description:
      "`install`: the kit installs its pinned KEDA release when a model autoscales; `existing`: the cluster already runs KEDA (kubernetes targets only), the kit only creates ScaledObjects.",
  }),
  kedaNamespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "expected a namespace name (a DNS label)" })
    .superRefine((namespace, ctx) => {
      const problem = namespaceProblem(namespace);
      if (problem)
        ctx.addIssue({ code: "custom", message: problem, params: { fix: "set kedaNamespace to a namespace of its own, e.g. keda" } });
    })
    .default("keda")
    .meta({
      description:
        "Namespace KEDA runs in: the kit's release goes there, or the existing install is there (its operator must reach the environment's Prometheus).",
      examples: ["keda"],
    }),
});

export type EnvironmentAutoscaling = z.infer<typeof environmentAutoscalingSchema>;
