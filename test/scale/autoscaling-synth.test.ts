/** An autoscaled model: KEDA's release and the model's ScaledObject, asserted on the synthesized Terraform JSON. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { KEDA_CHART } from "../../core/pins";
import { startupBudgetSeconds } from "../../core/vllm-server-spec";
import { synthesize } from "../../stacks/synthesize";
import { BASE_ENVIRONMENT, environmentFrom, synthStack, type TerraformJson } from "../helpers/synth";
import { autoscaled, yaml } from "./autoscaled-environment";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAMESPACE = "${kubernetes_namespace_v1.serving-namespace_54D67AAD.metadata[0].name}";
const resources = (tf: TerraformJson, type: string): Json[] => Object.values(tf.resource[type] ?? {});

const scaledObjects = (tf: TerraformJson): Json[] =>
  resources(tf, "kubernetes_manifest")
    .map((r) => r.manifest)
    .filter((m) => m.kind === "ScaledObject");

/** Every stack of an environment file, by name. */
function synthAll(text: string): Record<string, TerraformJson> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-autoscaling-"));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-autoscaling-out-"));
  try {
    fs.writeFileSync(path.join(dir, "scaled.yaml"), text);
    const result = synthesize(["scaled"], outdir, dir);
    expect(result.failed).toEqual([]);
    const stacks = fs.readdirSync(path.join(outdir, "stacks"));
    return Object.fromEntries(
      stacks.map((stack) => [stack, JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"))]),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("a model autoscaled between 2 and 4 replicas", () => {
  const { tf } = synthStack(environmentFrom(autoscaled({ minReplicas: 2, maxReplicas: 4, queueDepthPerReplica: 3, cooldownSeconds: 600 })));
  const [scaledObject] = scaledObjects(tf);
  const deployment = resources(tf, "kubernetes_deployment_v1").find((d) => d.metadata.name === "aicockpit-qwen-coder")!;

  it("gets one ScaledObject targeting its Deployment, in its namespace", () => {
    expect(scaledObjects(tf)).toHaveLength(1);
    expect(scaledObject.apiVersion).toBe("keda.sh/v1alpha1");
    expect(scaledObject.metadata).toMatchObject({ name: "aicockpit-qwen-coder", namespace: NAMESPACE });
    expect(scaledObject.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
  });

  it("scales between the file's bounds, cooling down for cooldownSeconds both to one and to zero", () => {
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 4, pollingInterval: 15, cooldownPeriod: 600 });
    expect(scaledObject.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(scaledObject.spec).not.toHaveProperty("idleReplicaCount");
  });

  it("triggers on the model's waiting requests in the environment's Prometheus, per replica", () => {
    expect(scaledObject.spec.triggers).toEqual([
      {
        type: "prometheus",
        name: "queue-depth",
        metadata: {
          serverAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
          query: `sum(vllm:num_requests_waiting{job="vllm",namespace="${NAMESPACE}",model_name="qwen-coder"})`,
          threshold: "3",
          ignoreNullValues: "false",
        },
      },
    ]);
  });

  it("starts the Deployment at minReplicas and leaves the count to KEDA afterwards", () => {
    expect(deployment.spec.replicas).toBe("2");
    expect(deployment.lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
  });

  it("puts the router in front and a disruption budget on the replicas", () => {
    expect(resources(tf, "kubernetes_deployment_v1").map((d) => d.metadata.name)).toContain("aicockpit-qwen-coder-router");
    expect(resources(tf, "kubernetes_pod_disruption_budget_v1").map((p) => p.metadata.name)).toContain("aicockpit-qwen-coder");
  });

  it("admits the KEDA operator to Prometheus and Prometheus to the router's metrics port", () => {
    const prometheus = resources(tf, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "allow-prometheus")!;
    expect(prometheus.spec.ingress).toContainEqual({
      from: [
        {
          namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "keda" } },
          pod_selector: { match_labels: { app: "keda-operator" } },
        },
      ],
      ports: [{ port: "9090", protocol: "TCP" }],
    });
    expect(prometheus.spec.egress).toContainEqual(
      expect.objectContaining({
        to: [
          expect.objectContaining({
            pod_selector: { match_labels: { "app.kubernetes.io/name": "vllm-router", "app.kubernetes.io/part-of": "aicockpit" } },
          }),
        ],
        ports: [{ port: "29000", protocol: "TCP" }],
      }),
    );
  });
});

describe("the optional triggers", () => {
  it("adds the replicas' average KV-cache usage as a Value metric", () => {
    const { tf } = synthStack(environmentFrom(autoscaled({ maxReplicas: 2, kvCacheUsage: 0.85 })));
    expect(scaledObjects(tf)[0].spec.triggers[1]).toEqual({
      type: "prometheus",
      name: "kv-cache-usage",
      metricType: "Value",
      metadata: expect.objectContaining({
        query: `avg(vllm:kv_cache_usage_perc{job="vllm",namespace="${NAMESPACE}",model_name="qwen-coder"})`,
        threshold: "0.85",
      }),
    });
  });

  it("idles a chat model at zero, woken by its router's request counter", () => {
    const chat = autoscaled({ maxReplicas: 2, scaleToZero: true }, (doc) => (doc.models[0].role = "chat"));
    const { tf } = synthStack(environmentFrom(chat));
    const [scaledObject] = scaledObjects(tf);
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 1, idleReplicaCount: 0 });
    // At zero there is no vLLM series: an empty answer is 0, not an error that would block waking up.
    expect(scaledObject.spec.triggers[0].metadata.ignoreNullValues).toBe("true");
    expect(scaledObject.spec.triggers[1]).toEqual({
      type: "prometheus",
      name: "router-requests",
      metadata: expect.objectContaining({
        query: `sum(rate({__name__=~"vllm_router_requests_total|vllm_router_request_errors_total",job="vllm-router",namespace="${NAMESPACE}",model_name="qwen-coder"}[2m]))`,
        threshold: "1000000",
        activationThreshold: "0",
        ignoreNullValues: "true",
      }),
    });
  });
});

describe("where KEDA comes from on an existing cluster", () => {
  it("installs the pinned chart in a stack of its own, watching only the serving namespace", () => {
    const stacks = synthAll(autoscaled({ maxReplicas: 2 }));
    expect(Object.keys(stacks).sort()).toEqual(["aicockpit-scaled", "aicockpit-scaled-keda"]);
    const keda = stacks["aicockpit-scaled-keda"];
    const [release] = resources(keda, "helm_release");
    expect(release).toMatchObject({
      chart: "keda",
      version: KEDA_CHART.version,
      repository: KEDA_CHART.repository,
      namespace: expect.any(String),
    });
    const values = parse(release.values[0]);
    expect(values.watchNamespace).toBe("coders");
    expect(values.networkPolicy).toEqual({ enabled: true, flavor: "kubernetes" });
    for (const component of ["operator", "metricServer", "webhooks"]) {
      expect(values.podSecurityContext[component]).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(values.securityContext[component]).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
    // The API server reaches the metrics API and the admission webhook, from an address no policy can name.
    const allows = resources(keda, "kubernetes_network_policy_v1").map((p) => [p.spec.pod_selector.match_labels.app, p.spec.ingress]);
    expect(allows).toEqual(
      expect.arrayContaining([
        ["keda-operator-metrics-apiserver", [{ ports: [{ port: "6443", protocol: "TCP" }] }]],
        ["keda-admission-webhooks", [{ ports: [{ port: "9443", protocol: "TCP" }] }]],
      ]),
    );
    expect(allows).toHaveLength(2);
    // Narrower than the chart's defaults (get on every resource, */scale everywhere, every Secret).
    expect(values.rbac).toEqual({ enabledCustomScaledRefKinds: false, scaledRefKinds: [] });
    expect(values.permissions).toEqual({ operator: { restrict: { secret: true } }, metricServer: { restrict: { secret: true } } });
    const [namespace] = resources(keda, "kubernetes_namespace_v1");
    expect(namespace.metadata.name).toBe("keda");
    expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(resources(stacks["aicockpit-scaled"], "helm_release").map((r) => r.chart)).not.toContain("keda");
  });

  it("installs nothing when the file names an existing KEDA, and still creates the ScaledObject", () => {
    const stacks = synthAll(
      autoscaled({ maxReplicas: 2 }, (doc) => (doc.autoscaling = { keda: "existing", kedaNamespace: "autoscalers" })),
    );
    expect(Object.keys(stacks)).toEqual(["aicockpit-scaled"]);
    const serving = stacks["aicockpit-scaled"];
    expect(resources(serving, "helm_release").map((r) => r.chart)).not.toContain("keda");
    expect(scaledObjects(serving)).toHaveLength(1);
    const prometheus = resources(serving, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "allow-prometheus")!;
    expect(JSON.stringify(prometheus.spec.ingress)).toContain('"kubernetes.io/metadata.name":"autoscalers"');
  });

  it("has no KEDA, ScaledObject or KEDA allow without an autoscaled model", () => {
    const stacks = synthAll(BASE_ENVIRONMENT);
    expect(Object.keys(stacks)).toEqual(["aicockpit-scaled"]);
    expect(scaledObjects(stacks["aicockpit-scaled"])).toEqual([]);
    const serving = stacks["aicockpit-scaled"];
    expect(resources(serving, "helm_release").map((r) => r.chart)).not.toContain("keda");
    const prometheus = resources(serving, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "allow-prometheus")!;
    expect(JSON.stringify(prometheus.spec.ingress)).not.toContain("keda-operator");
  });
});

describe("the default cooldown", () => {
  it("is the model's startup budget: loading only when the warm-up Job fills the cache, with the download otherwise", () => {
    const warmed = synthStack(environmentFrom(autoscaled({ maxReplicas: 2 })));
    const cold = synthStack(environmentFrom(autoscaled({ maxReplicas: 2 }, (doc) => (doc.modelCache = { warmup: false }))));
    const model = environmentFrom(autoscaled({ maxReplicas: 2 })).models[0];
    expect(scaledObjects(warmed.tf)[0].spec.cooldownPeriod).toBe(startupBudgetSeconds(model, { warmed: true }));
    expect(scaledObjects(cold.tf)[0].spec.cooldownPeriod).toBe(startupBudgetSeconds(model, { warmed: false }));
    expect(startupBudgetSeconds(model, { warmed: false })).toBeGreaterThan(startupBudgetSeconds(model, { warmed: true }));
  });
});

describe("an autoscaled model whose replicas span nodes", () => {
  const spanNodes = (doc: Json) => {
    doc.gpuPools[0].nodes = 4;
    doc.models[0].tensorParallel = 4;
    doc.models[0].pipelineParallel = 2;
    doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "nfs" };
  };
  const text = autoscaled({ minReplicas: 1, maxReplicas: 2 }, spanNodes);
  const stacks = synthAll(text);
  const serving = stacks["aicockpit-scaled"];
  const manifests = resources(serving, "kubernetes_manifest").map((r) => r.manifest);
  const lws = manifests.find((m) => m.kind === "LeaderWorkerSet")!;
  const [scaledObject] = scaledObjects(serving);

  it("has KEDA scale its LeaderWorkerSet, whose groups the count is", () => {
    expect(scaledObject.spec.scaleTargetRef).toEqual({
      apiVersion: "leaderworkerset.x-k8s.io/v1",
      kind: "LeaderWorkerSet",
      name: lws.metadata.name,
    });
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 2 });
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
  });

  it("leaves the group count out of the LeaderWorkerSet, so an apply does not undo KEDA's", () => {
    expect(lws.spec).not.toHaveProperty("replicas");
    const fixed = synthStack(
      environmentFrom(
        yaml((doc) => {
          spanNodes(doc);
          doc.models[0].replicas = 2;
        }),
      ),
    );
    const fixedLws = resources(fixed.tf, "kubernetes_manifest").find((r) => r.manifest.kind === "LeaderWorkerSet")!.manifest;
    expect(fixedLws.spec.replicas).toBe(2);
  });

  it("lets KEDA reach LeaderWorkerSets' scale subresource, and nothing else beyond its defaults", () => {
    const [release] = resources(stacks["aicockpit-scaled-keda"], "helm_release");
    expect(parse(release.values[0]).rbac).toEqual({
      enabledCustomScaledRefKinds: true,
      scaledRefKinds: [{ apiGroup: "leaderworkerset.x-k8s.io", kind: "leaderworkersets" }],
    });
  });

  it("reads queue depth from the leaders: only they serve, and only they have a port the PodMonitor scrapes", () => {
    const queue = scaledObject.spec.triggers.find((t: Json) => t.name === "queue-depth");
    expect(queue.metadata.query).toContain('model_name="qwen-coder"');
    const ports = (template: Json) => template.spec.containers.flatMap((c: Json) => c.ports ?? []);
    expect(ports(lws.spec.leaderWorkerTemplate.workerTemplate)).toEqual([]);
    expect(ports(lws.spec.leaderWorkerTemplate.leaderTemplate).length).toBeGreaterThan(0);
  });
});
