/**
 * Synth tests of the warmed model caches (constructs/serving/model-cache-warmup-job.ts): the Job
 * per model, its ordering before the server, the server's marker check and offline start, and
 * `modelCache.warmup: false`, each asserted on the Terraform JSON.
 */
import { cacheMarkerPath, warmupDeadlineSeconds, WARMUP_ENV, WARMUP_SCRIPT } from "../../core/model-cache-warmup";
import { warmupViolations } from "../policy/checks";
import { restrictedViolations, podSpecFromProvider } from "../policy/restricted-standard";
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack, type TerraformJson } from "../helpers/synth";

type Json = Record<string, unknown>;
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: { name: string; value?: string; value_from?: Json }[];
  volume_mount: { name: string; mount_path: string; read_only?: boolean }[];
  startup_probe?: { failure_threshold: number; period_seconds: number };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface PodSpec {
  container: Container[];
  init_container?: Container[];
  node_selector: Record<string, string>;
  toleration: Json[];
  volume: Json[];
  restart_policy?: string;
  affinity?: Json;
  service_account_name: string;
  automount_service_account_token: boolean;
}
interface Job {
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    backoff_limit: number;
    active_deadline_seconds: number;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
  wait_for_completion: boolean;
  timeouts: { create: string; update: string };
}
interface Deployment {
  depends_on?: string[];
  spec: { selector: { match_labels: Record<string, string> }; template: { spec: PodSpec } };
}

const TWO_MODELS = `${BASE_ENVIRONMENT}  - servedName: qwen-chat
    model: qwen2.5-coder-14b-instruct
    role: chat
    pool: gpu
    maxModelLen: 16384
auth: { huggingFaceToken: { name: hf-token, key: token } }
`;

const jobsOf = (tf: TerraformJson) => Object.entries(tf.resource.kubernetes_job_v1 ?? {}) as unknown as [string, Job][];
const envOf = (container: Container) => Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.value_from]));

describe("a warmed model cache (the default)", () => {
  const environment = environmentFrom(TWO_MODELS);
  const { tf } = synthStack(environment);
  const jobs = jobsOf(tf);
  const deployments = resourcesOfType(tf, "kubernetes_deployment_v1") as unknown as Deployment[];

  it("has one warm-up Job per model, waited for by Terraform within a timeout that covers its deadline", () => {
    expect(jobs.map(([, job]) => job.metadata.name).sort()).toEqual(["aicockpit-qwen-chat-warmup", "aicockpit-qwen-coder-warmup"]);
    for (const [, job] of jobs) {
      const model = environment.models.find((m) => job.metadata.name.startsWith(`aicockpit-${m.config.servedName}-`))!;
      expect(job.wait_for_completion).toBe(true);
      expect(job.spec.backoff_limit).toBe(3);
      expect(job.spec.active_deadline_seconds).toBe(warmupDeadlineSeconds(model));
      expect(job.timeouts.create).toBe(job.timeouts.update);
      expect(Number(job.timeouts.create.replace("m", "")) * 60).toBeGreaterThan(job.spec.active_deadline_seconds);
      expect(job.spec.template.spec.restart_policy).toBe("Never");
    }
  });

  it("runs the server's own pinned image, with the program as argv and the repo only in the environment", () => {
    const [, job] = jobs.find(([, j]) => j.metadata.name === "aicockpit-qwen-coder-warmup")!;
    const [container] = job.spec.template.spec.container;
    const server = deployments.map((d) => d.spec.template.spec.container[0]).find((c) => envOf(c).HF_HUB_OFFLINE === "1")!;
    expect(container.image).toBe("vllm/vllm-openai:v0.29.0");
    expect(container.image).toBe(server.image);
    expect(container.command).toEqual(["python3", "-c", WARMUP_SCRIPT]);
    expect(container.args).toBeUndefined();
    expect(envOf(container)).toMatchObject({
      [WARMUP_ENV.repo]: "Qwen/Qwen2.5-Coder-7B-Instruct",
      [WARMUP_ENV.revision]: "main",
      [WARMUP_ENV.marker]: cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct"),
      HF_HOME: "/cache/huggingface",
      HOME: "/home/vllm",
      HF_XET_CACHE: "/home/vllm/.cache/huggingface-xet",
      HF_TOKEN: { secret_key_ref: { name: "hf-token", key: "token" } },
    });
    expect(container.volume_mount).toEqual(
      expect.arrayContaining([{ name: "model-cache", mount_path: "/cache/huggingface" }, expect.objectContaining({ mount_path: "/tmp" })]),
    );
    expect(container.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "8Gi" } });
  });

  it("mounts the model's cache claim and schedules on the model's pool, preferring the server's node", () => {
    for (const [, job] of jobs) {
      const spec = job.spec.template.spec;
      expect(spec.node_selector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-L40S" });
      expect(spec.toleration).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
      expect(spec.volume).toContainEqual({
        name: "model-cache",
        persistent_volume_claim: { claim_name: expect.stringContaining("kubernetes_persistent_volume_claim_v1.") },
      });
      const instance = job.spec.template.metadata.labels["app.kubernetes.io/instance"];
      expect(JSON.stringify(spec.affinity)).toContain(`"app.kubernetes.io/instance":"${instance}"`);
      expect(JSON.stringify(spec.affinity)).toContain("kubernetes.io/hostname");
    }
    const claims = (job: Job) => JSON.stringify(job.spec.template.spec.volume.find((v) => v.name === "model-cache"));
    expect(claims(jobs[0][1])).not.toBe(claims(jobs[1][1]));
  });

  it("runs the Job's pod under the restricted standard, with the model's ServiceAccount and no token", () => {
    for (const [id, job] of jobs) {
      const spec = podSpecFromProvider(job.spec.template.spec as unknown as Json);
      expect({ id, violations: restrictedViolations(spec) }).toEqual({ id, violations: [] });
      expect(job.spec.template.spec.automount_service_account_token).toBe(false);
      expect(job.spec.template.spec.service_account_name).toMatch(/kubernetes_service_account_v1\./);
    }
  });

  it("labels the Job's pod apart from the server's, so no Service, router or budget selects it", () => {
    for (const [, job] of jobs) expect(job.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("model-cache-warmup");
    for (const deployment of deployments) expect(deployment.spec.selector.match_labels["app.kubernetes.io/name"]).toBe("vllm");
  });

  it("starts each server after its Job, offline, behind a check of the Job's marker, with a startup budget for loading only", () => {
    for (const deployment of deployments) {
      const spec = deployment.spec.template.spec;
      const vllm = spec.container.find((c) => c.name === "vllm")!;
      const repo = vllm.args!.find((a) => a.startsWith("--model="))!.slice("--model=".length);
      const [id] = jobs.find(([, job]) => envOf(job.spec.template.spec.container[0])[WARMUP_ENV.repo] === repo)!;
      expect(deployment.depends_on).toEqual([`kubernetes_job_v1.${id}`]);
      expect(envOf(vllm).HF_HUB_OFFLINE).toBe("1");
      expect(vllm.startup_probe!.failure_threshold * vllm.startup_probe!.period_seconds).toBe(600);
      const [check] = spec.init_container!;
      expect(check).toMatchObject({ name: "cache-marker-check", image: vllm.image, command: ["python3", "-c", expect.any(String)] });
      expect(envOf(check)[WARMUP_ENV.marker]).toBe(cacheMarkerPath(repo));
      expect(check.volume_mount).toEqual([{ name: "model-cache", mount_path: "/cache/huggingface", read_only: true }]);
    }
  });

  it("opens the Hugging Face download path to the Job's pod only", () => {
    const downloads = resourcesOfType(tf, "kubernetes_network_policy_v1").filter((p) =>
      (p as { metadata: { name: string } }).metadata.name.endsWith("-model-download"),
    ) as { spec: { pod_selector: { match_labels: Record<string, string> } } }[];
    expect(downloads).toHaveLength(2);
    for (const policy of downloads) expect(policy.spec.pod_selector.match_labels["app.kubernetes.io/name"]).toBe("model-cache-warmup");
  });
});

describe("the warm-up policy check (test/policy/checks.ts)", () => {
  it("passes the kit's own stack and flags a server that does not wait, a Job on another image, a missing Job", () => {
    const environment = environmentFrom(TWO_MODELS);
    const { tf } = synthStack(environment);
    expect(warmupViolations(environment, tf)).toEqual([]);
    const broken = JSON.parse(JSON.stringify(tf)) as TerraformJson;
    const [deployment] = Object.values(broken.resource.kubernetes_deployment_v1) as { depends_on?: string[] }[];
    delete deployment.depends_on;
    const [first, second] = Object.keys(broken.resource.kubernetes_job_v1);
    (broken.resource.kubernetes_job_v1[first] as unknown as Job).spec.template.spec.container[0].image = "vllm/vllm-openai:latest";
    delete broken.resource.kubernetes_job_v1[second];
    expect(warmupViolations(environment, broken)).toEqual([
      "1 warm-up Jobs for 2 models",
      `Job ${first} runs vllm/vllm-openai:latest, not a server's image`,
      "a vLLM workload does not wait for a warm-up Job",
    ]);
  });
});

describe("modelCache.warmup: false", () => {
  const { tf } = synthStack(environmentFrom(`${BASE_ENVIRONMENT}modelCache: { warmup: false }\n`));
  const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as unknown as Deployment[];
  const vllm = deployment.spec.template.spec.container.find((c) => c.name === "vllm")!;

  it("writes no Job and no marker check; the server downloads on its first start, and its probe budgets the download", () => {
    expect(jobsOf(tf)).toEqual([]);
    expect(deployment.depends_on).toBeUndefined();
    expect(deployment.spec.template.spec.init_container).toBeUndefined();
    expect(envOf(vllm).HF_HUB_OFFLINE).toBeUndefined();
    expect(vllm.startup_probe!.failure_threshold * vllm.startup_probe!.period_seconds).toBeGreaterThan(600);
    const [download] = resourcesOfType(tf, "kubernetes_network_policy_v1").filter((p) =>
      (p as { metadata: { name: string } }).metadata.name.endsWith("-model-download"),
    ) as { spec: { pod_selector: { match_labels: Record<string, string> } } }[];
    expect(download.spec.pod_selector.match_labels["app.kubernetes.io/name"]).toBe("vllm");
  });
});

describe("a replica spanning nodes, warmed", () => {
  const { tf } = synthStack(
    environmentFrom(
      BASE_ENVIRONMENT.replace(
        /models:[\s\S]*$/,
        `models:
  - { servedName: llama-70b, model: llama-3.1-70b-instruct, role: chat, pool: gpu, tensorParallel: 4, pipelineParallel: 2, maxModelLen: 8192 }
modelCache: { accessMode: ReadWriteMany, storageClass: nfs }
`,
      ),
    ),
  );

  it("starts the LeaderWorkerSet after the Job, leader and workers behind the marker check", () => {
    const [[id]] = jobsOf(tf);
    const [lws] = resourcesOfType(tf, "kubernetes_manifest") as {
      depends_on?: string[];
      manifest: { spec: { leaderWorkerTemplate: Record<string, { spec: { initContainers?: { name: string }[] } }> } };
    }[];
    expect(lws.depends_on).toEqual([`kubernetes_job_v1.${id}`]);
    for (const template of ["leaderTemplate", "workerTemplate"])
      expect(lws.manifest.spec.leaderWorkerTemplate[template].spec.initContainers?.map((c) => c.name)).toEqual(["cache-marker-check"]);
  });
});

describe("an unusual but valid hfRepo", () => {
  it("reaches the Job only as one environment value, never in its program or argv", () => {
    const yaml = BASE_ENVIRONMENT.replace(
      "    model: qwen2.5-coder-7b-instruct\n",
      `    model:
      hfRepo: a.b-c_d/X.y-z_1
      parametersB: 7.6
      layers: 28
      hiddenSize: 3584
      attentionHeads: 28
      kvHeads: 4
      maxPositions: 32768
      fimTemplate: qwen
`,
    );
    const [[, job]] = jobsOf(synthStack(environmentFrom(yaml)).tf);
    const [container] = job.spec.template.spec.container;
    expect(envOf(container)[WARMUP_ENV.repo]).toBe("a.b-c_d/X.y-z_1");
    expect(JSON.stringify(container.command)).not.toContain("a.b-c_d");
    expect(container.args).toBeUndefined();
  });
});

describe("a pinned revision", () => {
  const COMMIT = "0123456789abcdef0123456789abcdef01234567";
  const { tf } = synthStack(
    environmentFrom(BASE_ENVIRONMENT.replace("    role: completion\n", `    revision: ${COMMIT}\n    role: completion\n`)),
  );

  it("is what the Job downloads, what its marker names and what the offline server loads", () => {
    const [[id, job]] = jobsOf(tf);
    const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as unknown as Deployment[];
    const vllm = deployment.spec.template.spec.container.find((c) => c.name === "vllm")!;
    const marker = cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct", COMMIT);
    expect(envOf(job.spec.template.spec.container[0])).toMatchObject({
      [WARMUP_ENV.repo]: "Qwen/Qwen2.5-Coder-7B-Instruct",
      [WARMUP_ENV.revision]: COMMIT,
      [WARMUP_ENV.marker]: marker,
    });
    expect(marker).not.toBe(cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct"));
    expect(vllm.args).toContain(`--revision=${COMMIT}`);
    expect(envOf(vllm).HF_HUB_OFFLINE).toBe("1");
    expect(envOf(deployment.spec.template.spec.init_container![0])[WARMUP_ENV.marker]).toBe(marker);
    expect(deployment.depends_on).toEqual([`kubernetes_job_v1.${id}`]);
  });
});
