import { z } from "zod";
import { monitoringSchema } from "./monitoring";
import { modelSchema } from "./model";
import { authSchema, dnsLabel, exposureSchema, gpuPoolSchema, imageSchema, modelCacheSchema } from "./serving";
import { stateSchema } from "./state";
import { targetSchema } from "./target";

/**
 * One environment file (`environments/<name>.yaml`). Strict: a misspelt key is an error.
 * What needs the target or the catalogs (pool shapes, model→pool references, planning) is
 * checked after it, by the loader.
 */
export const environmentSchema = z
  .strictObject({
    description: z
      .string()
      .optional()
      .meta({
        description: "Free text, shown in the synth summary.",
        examples: ["One workstation-class GPU node, one model for completions and chat."],
      }),
    target: targetSchema.meta({
      description: "Where to deploy: an existing Kubernetes cluster (`kind: kubernetes`) or Amazon EKS built by the kit (`kind: aws`).",
    }),
    namespace: dnsLabel.default("aicockpit").meta({
      description: "Kubernetes namespace of the vLLM servers, the API key Secret and the model caches.",
    }),
    image: imageSchema.meta({ description: "The vLLM server image every model runs." }),
    gpuPools: z.array(gpuPoolSchema).min(1, { error: "declare at least one GPU pool" }).meta({
      description: "The GPU nodes models run on, as pools of identical nodes; names are unique.",
    }),
    models: z.array(modelSchema).min(1, { error: "declare at least one model" }).meta({
      description: "The models to serve; served names are unique and each model names its pool.",
    }),
    exposure: exposureSchema.default({ type: "ClusterIP" }).meta({
      description:
        "How clients reach the models on a `kubernetes` target. On `aws` the kit's TLS load balancer does (`target.loadBalancer`): leave it ClusterIP.",
    }),
    auth: authSchema.default({ apiKey: { generate: true } }).meta({
      description: "The API key clients send, and the Hugging Face token for gated models.",
    }),
    modelCache: modelCacheSchema.prefault({}).meta({
      description: "One PersistentVolumeClaim per model holding its Hugging Face cache, so a restart does not download the weights again.",
    }),
    monitoring: monitoringSchema.default(monitoringSchema.parse({})).meta({
      description: "Prometheus, Alertmanager, Grafana and the DCGM GPU exporter for this environment (docs/monitoring.md).",
    }),
    state: stateSchema.default({ backend: "local" }).meta({
      description:
        "Where Terraform keeps the state of the environment's stacks, which holds the secrets the kit generates: `local` files, or S3 encrypted with KMS and locked (docs/security.md).",
    }),
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
