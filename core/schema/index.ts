import { z } from "zod";
import { endpointOutputId } from "../contract/outputs";
import { modelResourceName, warmupJobName } from "../names";
import { namespaceProblem } from "./kubernetes-names";
import { environmentAutoscalingSchema } from "./autoscaling";
import { monitoringSchema } from "./monitoring";
import { modelSchema } from "./model";
import { authSchema, dnsLabel, exposureSchema, gpuPoolSchema, imageSchema, modelCacheSchema } from "./serving";
import { adapterNameCollisions } from "./serving-options";
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
      .max(300, { error: "a description of at most 300 characters; put more in a comment" })
      .optional()
      .meta({
        description: "Free text, shown in the synth summary.",
        examples: ["One workstation-class GPU node, one model for completions and chat."],
      }),
    target: targetSchema.meta({
      description:
        "Where to deploy: an existing Kubernetes cluster (`kind: kubernetes`), Amazon EKS built by the kit (`kind: aws`) or one GPU machine running Docker (`kind: docker`).",
    }),
    namespace: dnsLabel
      .superRefine((namespace, ctx) => {
        const problem = namespaceProblem(namespace);
        if (problem)
          ctx.addIssue({ code: "custom", message: problem, params: { fix: "set namespace to a namespace of its own, e.g. aicockpit" } });
      })
      .default("aicockpit")
      .meta({
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
    autoscaling: environmentAutoscalingSchema.prefault({}).meta({
      description: "Where KEDA comes from when a model has `autoscaling` (docs/scale-out.md).",
    }),
    state: stateSchema.default({ backend: "local" }).meta({
      description:
        "Where Terraform keeps the state of the environment's stacks, which holds the secrets the kit generates: `local` files, or S3 encrypted with KMS and locked (docs/security.md).",
    }),
  })
  .superRefine((env, ctx) => {
    uniqueBy(env.gpuPools, (p) => p.name, ["gpuPools"], "name", ctx, "GPU pool names must be unique");
    uniqueBy(env.models, (m) => m.servedName, ["models"], "servedName", ctx, "served model names must be unique");
    derivedNameCollisions(env.models, ctx);
    adapterNameCollisions(env.models, ctx);
    if (env.monitoring.enabled && env.monitoring.namespace === env.namespace) {
      ctx.addIssue({
        code: "custom",
        path: ["monitoring", "namespace"],
        message: `the monitoring namespace is the serving namespace (${env.namespace}); the kit creates each with its own policies`,
        params: { fix: "give monitoring.namespace its own name, e.g. monitoring" },
      });
    }
    const { exposure } = env;
    if (exposure.type === "NodePort" && exposure.nodePort !== undefined) {
      // Each model takes the next node port (core/endpoint-url.ts); the last must stay in range.
      const last = exposure.nodePort + env.models.length - 1;
      if (last > NODE_PORT_MAX) {
        ctx.addIssue({
          code: "custom",
          path: ["exposure", "nodePort"],
          message: `${env.models.length} models take node ports ${exposure.nodePort}–${last}, past ${NODE_PORT_MAX}, the top of Kubernetes' node port range`,
          params: { fix: `set exposure.nodePort to at most ${NODE_PORT_MAX - env.models.length + 1}, or leave it out so Kubernetes picks` },
        });
      }
    }
  });

/** The top of kube-apiserver's default `--service-node-port-range` (30000-32767). */
const NODE_PORT_MAX = 32767;

/**
 * Served names become Kubernetes names (`aicockpit-<slug>`, cut at 63 characters; the warm-up Job's
 * `aicockpit-<slug>-warmup`, so at 46 characters of the name) and Terraform
 * output ids (`endpoint_<name>` with every other character `_`): two different names can land on
 * the same one (`qwen.coder` and `qwen-coder`), and one would overwrite the other.
 */
function derivedNameCollisions(models: { servedName: string }[], ctx: z.RefinementCtx): void {
  const derivations = [
    { what: "the Kubernetes name", derive: modelResourceName },
    { what: "the warm-up Job name", derive: warmupJobName },
    { what: "the Terraform output", derive: endpointOutputId },
  ];
  const reported = new Set<number>();
  for (const { what, derive } of derivations) {
    const seen = new Map<string, number>();
    models.forEach(({ servedName }, index) => {
      const derived = derive(servedName);
      const first = seen.get(derived);
      if (first === undefined) {
        seen.set(derived, index);
      } else if (models[first].servedName !== servedName && !reported.has(index)) {
        reported.add(index);
        ctx.addIssue({
          code: "custom",
          path: ["models", index, "servedName"],
          message: `"${servedName}" and models[${first}].servedName "${models[first].servedName}" both become ${what} ${derived}`,
          params: { fix: "rename one of them so they differ in more than punctuation (and in their first 46 characters)" },
        });
      }
    });
  }
}

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
