/**
 * Fields a docker target accepts from the schema but would not act on: each is refused naming
 * the field and the fix (core/validation/without-effect.ts), and the same file without it loads.
 */
import YAML from "yaml";
import { EnvironmentError, type ConfigIssue } from "../../core/errors";
import { parseEnvironment } from "../../core/load-environment";

const BASE = {
  target: { kind: "docker", apiKeyFile: "/etc/aicockpit/api-key" },
  image: { tag: "v0.29.0" },
  gpuPools: [{ name: "box", gpu: "RTX4090", gpusPerNode: 1, nodes: 1 }],
  models: [{ servedName: "coder", model: "qwen2.5-coder-7b-instruct", role: "completion", pool: "box", maxModelLen: 8192 }],
};

type Environment = Record<string, unknown>;

function issuesOf(environment: Environment): ConfigIssue[] {
  try {
    parseEnvironment("box", "environments/box.yaml", YAML.stringify(environment));
    return [];
  } catch (error) {
    if (error instanceof EnvironmentError) return error.issues;
    throw error;
  }
}

const withPool = (fields: Record<string, unknown>): Environment => ({ ...BASE, gpuPools: [{ ...BASE.gpuPools[0], ...fields }] });

it("the base file loads", () => {
  expect(issuesOf(BASE)).toEqual([]);
});

describe.each<[string, Environment, string]>([
  ["gpuPools[0].nodeSelector", withPool({ nodeSelector: { "nvidia.com/gpu.product": "NVIDIA-L4" } }), "remove gpuPools[0].nodeSelector"],
  ["gpuPools[0].tolerations", withPool({ tolerations: [] }), "remove gpuPools[0].tolerations"],
  ["gpuPools[0].nodeAllocatable", withPool({ nodeAllocatable: { cpu: 16, memoryGiB: 64 } }), "remove gpuPools[0].nodeAllocatable"],
  ["namespace", { ...BASE, namespace: "coding-ai" }, "remove namespace"],
  ["exposure", { ...BASE, exposure: { type: "ClusterIP" } }, "remove exposure"],
  ["auth.apiKey", { ...BASE, auth: { apiKey: { generate: true } } }, "remove auth.apiKey"],
  ["modelCache.size", { ...BASE, modelCache: { size: "200Gi" } }, "remove modelCache.size"],
  ["modelCache.storageClass", { ...BASE, modelCache: { storageClass: "fast" } }, "remove modelCache.storageClass"],
  ["modelCache.accessMode", { ...BASE, modelCache: { accessMode: "ReadWriteMany" } }, "remove modelCache.accessMode"],
  ["monitoring.namespace", { ...BASE, monitoring: { namespace: "observability" } }, "remove monitoring.namespace"],
  ["monitoring.storage", { ...BASE, monitoring: { storage: { size: "10Gi" } } }, "remove monitoring.storage"],
  [
    "monitoring.grafana.adminPasswordSecret",
    { ...BASE, monitoring: { grafana: { adminPasswordSecret: "grafana-login" } } },
    "remove monitoring.grafana.adminPasswordSecret",
  ],
  [
    "monitoring.grafana.ingress",
    { ...BASE, monitoring: { grafana: { ingress: { host: "grafana.example.com", tlsSecret: "tls" } } } },
    "remove monitoring.grafana.ingress",
  ],
  [
    "target.ports.grafana",
    { ...BASE, target: { ...BASE.target, ports: { grafana: 3001 } }, monitoring: { enabled: false } },
    "remove target.ports.grafana, or set monitoring.enabled: true",
  ],
])("%s", (field, environment, fix) => {
  it("is refused as without effect on docker, with the fix", () => {
    const issues = issuesOf(environment);
    expect(issues).toEqual([
      expect.objectContaining({ field, fix, message: expect.stringMatching(/^has no effect on a docker target: /) }),
    ]);
  });
});

describe("fields that act on docker stay accepted", () => {
  it.each<[string, Environment]>([
    [
      "monitoring settings docker uses",
      { ...BASE, monitoring: { retention: "7d", dcgmExporter: { enabled: false }, slo: { availabilityPercent: 99.5 } } },
    ],
    ["monitoring ports while monitoring runs", { ...BASE, target: { ...BASE.target, ports: { grafana: 3001, prometheus: 9091 } } }],
    [
      "the gateway port without monitoring",
      { ...BASE, target: { ...BASE.target, ports: { gateway: 8081 } }, monitoring: { enabled: false } },
    ],
  ])("%s", (_what, environment) => {
    expect(issuesOf(environment)).toEqual([]);
  });

  it("reports a monitoring field of a disabled stack once, as the generic rule does", () => {
    const issues = issuesOf({ ...BASE, monitoring: { enabled: false, namespace: "observability" } });
    expect(issues.map((issue) => issue.field)).toEqual(["monitoring.namespace"]);
    expect(issues[0].message).toContain("monitoring.enabled is false");
  });
});

it("the same fields on a kubernetes target are accepted", () => {
  const kubernetes = {
    ...BASE,
    target: { kind: "kubernetes", context: "lab" },
    namespace: "coding-ai",
    gpuPools: [{ ...BASE.gpuPools[0], nodeSelector: { "nvidia.com/gpu.product": "NVIDIA-L4" }, tolerations: [] }],
    modelCache: { size: "200Gi" },
    monitoring: { namespace: "observability", storage: { size: "10Gi" } },
  };
  expect(issuesOf(kubernetes)).toEqual([]);
});

it("refuses modelCache.warmup once, saying a docker model downloads on its first start", () => {
  const issues = issuesOf({ ...BASE, modelCache: { warmup: true } });
  expect(issues.map((issue) => issue.field)).toEqual(["modelCache.warmup"]);
  expect(issues[0].message).toBe(
    "has no effect on a docker target: the warm-up Job runs on kubernetes and aws; a docker model downloads on its first start",
  );
});
