import { z } from "zod";
import { monitoringSchema } from "./monitoring";
import { modelSchema } from "./model";
import { authSchema, dnsLabel, exposureSchema, gpuPoolSchema, imageSchema, modelCacheSchema } from "./serving";
import { targetSchema } from "./target";

/**
 * One environment file (`environments/<name>.yaml`). Strict: a misspelt key is an error.
 * What needs the target or the catalogs (pool shapes, model→pool references, planning) is
 * checked after it, by the loader.
 */
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

/** The file as the schema accepts it, defaults applied; the loader narrows it per target (core/environment.ts). */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
