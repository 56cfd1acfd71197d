/**
 * Policy checks on the Terraform JSON synth writes for one environment, as functions returning
 * what is violated: test/property runs them on every environment it generates that synth accepts.
 * (The same invariants test/policy/environments.test.ts asserts on the shipped environments.)
 */
import type { Environment } from "../../core/load-environment";
import type { TerraformJson } from "../helpers/synth";

export interface PodContainer {
  name: string;
  image: string;
  env?: { name: string; value?: string; value_from?: unknown; valueFrom?: unknown }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  startup_probe?: unknown;
  readiness_probe?: unknown;
  liveness_probe?: unknown;
  startupProbe?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}

/** The vLLM serving containers of a stack: Deployments and LeaderWorkerSet leaders. */
export function vllmContainers(tf: TerraformJson): PodContainer[] {
  const fromDeployments = Object.values(tf.resource?.kubernetes_deployment_v1 ?? {}).flatMap(
    (d) => (d as { spec: { template: { spec: { container: PodContainer[] } } } }).spec.template.spec.container,
  );
  const fromLws = Object.values(tf.resource?.kubernetes_manifest ?? {})
    .map(
      (m) =>
        (m as { manifest: { kind: string; spec: { leaderWorkerTemplate: { leaderTemplate: { spec: { containers: PodContainer[] } } } } } })
          .manifest,
    )
    .filter((m) => m.kind === "LeaderWorkerSet")
    .flatMap((m) => m.spec.leaderWorkerTemplate.leaderTemplate.spec.containers);
  return [...fromDeployments, ...fromLws].filter((c) => c.name === "vllm");
}

/** A tag that names a release: registry tag grammar, with a version number in it. */
const PINNED_IMAGE = /^[^\s:@]+(:\d+)?[^\s:@]*:[\w][\w.-]{0,127}$/;

/**
 * What the serving stack of `environment` violates; `stacks` holds every stack synth wrote for it
 * (the serving stack under its name, and on aws the cluster stack).
 */
export function policyViolations(environment: Environment, serving: TerraformJson, stacks: TerraformJson[]): string[] {
  const violations: string[] = [];
  const containers = vllmContainers(serving);
  if (containers.length !== environment.models.length)
    violations.push(`${containers.length} vLLM containers for ${environment.models.length} models`);
  for (const c of containers) {
    const tag = c.image.slice(c.image.lastIndexOf(":") + 1);
    if (!PINNED_IMAGE.test(c.image) || !/\d/.test(tag)) violations.push(`image ${c.image} is not pinned to a release`);
    const gpus = c.resources?.limits?.["nvidia.com/gpu"];
    if (!(Number(gpus) > 0) || gpus !== c.resources?.requests?.["nvidia.com/gpu"])
      violations.push(`GPU limits ${gpus} differ from requests`);
    if (!(c.startup_probe ?? c.startupProbe) || !(c.readiness_probe ?? c.readinessProbe) || !(c.liveness_probe ?? c.livenessProbe)) {
      violations.push("a vLLM container lacks a startup, readiness or liveness probe");
    }
    // The current and the next key (rotation), both read from a Secret, never written inline.
    for (const name of ["AICOCKPIT_API_KEY", "AICOCKPIT_API_KEY_NEXT"]) {
      const apiKey = c.env?.find((e) => e.name === name);
      if (apiKey?.value !== undefined || !/secret_?[kK]ey_?[rR]ef/.test(JSON.stringify(apiKey?.value_from ?? apiKey?.valueFrom))) {
        violations.push(`the API key ${name} does not come from a Secret`);
      }
    }
  }
  violations.push(...warmupViolations(environment, serving));
  const policies = Object.values(serving.resource?.kubernetes_network_policy_v1 ?? {}) as { metadata: { name: string } }[];
  for (const required of ["default-deny-ingress", "aicockpit-allow-api"]) {
    if (!policies.some((p) => p.metadata.name === required)) violations.push(`no NetworkPolicy ${required}`);
  }
  for (const stack of stacks) {
    const outputs = JSON.stringify(stack.output ?? {});
    if (/random_password|\.data\b|\.data\[|_token|password|private_key/i.test(outputs)) violations.push("an output holds a secret value");
    for (const [id, output] of Object.entries(stack.output ?? {})) {
      if (/secret|key|token|password/i.test(id) && output.sensitive !== true) violations.push(`output ${id} is not sensitive`);
    }
  }
  return violations;
}

/**
 * A warmed cache (the default): one warm-up Job per model, running its server's pinned image,
 * waited for by Terraform, and every server workload ordered after a Job.
 */
export function warmupViolations(environment: Environment, serving: TerraformJson): string[] {
  const jobs = Object.entries(serving.resource?.kubernetes_job_v1 ?? {}) as [
    string,
    { wait_for_completion?: boolean; spec: { template: { spec: { container: PodContainer[] } } } },
  ][];
  if (environment.kind === "docker") return [];
  if (!environment.config.modelCache.warmup) return jobs.length > 0 ? ["warm-up Jobs with modelCache.warmup: false"] : [];
  const violations: string[] = [];
  if (jobs.length !== environment.models.length) violations.push(`${jobs.length} warm-up Jobs for ${environment.models.length} models`);
  const serverImages = new Set(vllmContainers(serving).map((c) => c.image));
  for (const [id, job] of jobs) {
    if (job.wait_for_completion !== true) violations.push(`Job ${id} is not waited for`);
    const image = job.spec.template.spec.container[0]?.image;
    if (!serverImages.has(image)) violations.push(`Job ${id} runs ${image}, not a server's image`);
  }
  const workloads = [
    ...Object.values(serving.resource?.kubernetes_deployment_v1 ?? {}).filter((d) => JSON.stringify(d).includes('"name":"vllm"')),
    ...Object.values(serving.resource?.kubernetes_manifest ?? {}).filter((m) => JSON.stringify(m).includes('"kind":"LeaderWorkerSet"')),
  ] as { depends_on?: string[] }[];
  for (const workload of workloads)
    if (!workload.depends_on?.some((ref) => ref.startsWith("kubernetes_job_v1.")))
      violations.push("a vLLM workload does not wait for a warm-up Job");
  return violations;
}
