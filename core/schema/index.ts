import { z } from "zod";
import { monitoringSchema } from "./monitoring";
import { modelSchema } from "./model";
import { authSchema, dnsLabel, exposureSchema, gpuPoolSchema, imageSchema, modelCacheSchema } from "./serving";
import { targetSchema } from "./target";

/** One environment file (`environments/<name>.yaml`). Strict: a misspelt key is an error. */
export const environmentSchema = z
  .strictObject({
    description: z.string().optional(),
    target: targetSchema,
    namespace: dnsLabel.default("aicockpit"),
    image: imageSchema,
    gpuPools: z.array(gpuPoolSchema).min(1, { error: "declare at least one GPU pool" }),
    models: z.array(modelSchema).min(1, { error: "declare at least one model" }),
    exposure: exposureSchema.default({ type: "ClusterIP" }),
    auth: authSchema.default({ apiKey: { generate: true } }),
    modelCache: modelCacheSchema.prefault({}),
    monitoring: monitoringSchema.default(monitoringSchema.parse({})),
  })
  .superRefine((env, ctx) => {
    uniqueBy(env.gpuPools, (p) => p.name, ["gpuPools"], "name", ctx, "GPU pool names must be unique");
    uniqueBy(env.models, (m) => m.servedName, ["models"], "servedName", ctx, "served model names must be unique");
    const poolNames = new Set(env.gpuPools.map((p) => p.name));
    env.models.forEach((model, index) => {
      if (!poolNames.has(model.pool)) {
        ctx.addIssue({
          code: "custom",
          path: ["models", index, "pool"],
          message: `no GPU pool named "${model.pool}"; use one of ${[...poolNames].join(", ")}`,
        });
      }
    });
  });

function uniqueBy<T>(
  items: T[],
  key: (item: T) => string,
  path: (string | number)[],
  field: string,
  ctx: z.RefinementCtx,
  message: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const value = key(item);
    const first = seen.get(value);
    if (first !== undefined) {
      ctx.addIssue({ code: "custom", path: [...path, index, field], message: `${message}: "${value}" is also at index ${first}` });
    } else {
      seen.set(value, index);
    }
  });
}

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
