import { Testing } from "cdktf";
import { parseEnvironment, type Environment } from "../../core/load-environment";
import { EnvironmentStack } from "../../stacks/environment-stack";

/** A minimal valid environment (YAML) that tests extend. */
export const BASE_ENVIRONMENT = `
target: { kind: kubernetes, kubeconfig: /etc/kube/lab.yaml, context: lab }
namespace: coders
image: { tag: v0.29.0 }
gpuPools:
  - name: gpu
    gpu: L40S
    gpusPerNode: 4
    nodes: 2
    nodeSelector: { nvidia.com/gpu.product: NVIDIA-L40S }
models:
  - servedName: qwen-coder
    model: qwen2.5-coder-7b-instruct
    role: completion
    pool: gpu
    maxModelLen: 16384
`;

/** {@link BASE_ENVIRONMENT} with one 70B model whose replica spans both nodes (TP 4 × PP 2). */
export const SPANNING_REPLICA_ENVIRONMENT = BASE_ENVIRONMENT.replace(
  /models:[\s\S]*$/,
  `models:
  - servedName: llama-70b
    model: llama-3.1-70b-instruct
    role: chat
    pool: gpu
    tensorParallel: 4
    pipelineParallel: 2
    maxModelLen: 8192
modelCache: { accessMode: ReadWriteMany, storageClass: nfs }
`,
);

export function environmentFrom(yaml: string, name = "test"): Environment {
  return parseEnvironment(name, `environments/${name}.yaml`, yaml);
}

/** Synthesizes an existing-cluster environment's serving stack and returns its Terraform JSON (string and parsed). */
export function synthStack(environment: Environment): { json: string; tf: TerraformJson } {
  if (environment.kind !== "kubernetes")
    throw new Error("synthStack takes existing-cluster environments; see test/aws/synth-aws.ts and test/docker/");
  const app = Testing.app();
  const stack = new EnvironmentStack(app, environment);
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) as TerraformJson };
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  provider?: Record<string, unknown[]>;
}

export function resourcesOfType(tf: TerraformJson, type: string): Record<string, unknown>[] {
  return Object.values(tf.resource[type] ?? {});
}
