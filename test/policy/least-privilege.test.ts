/**
 * Least privilege in what every environment of environments/ deploys into its cluster, checked on
 * the Terraform JSON of the stacks it deploys into its cluster: the restricted Pod Security Standard for every pod
 * spec the kit writes (and the chart values it sets), Pod Security Admission on every namespace,
 * default-deny egress with named allows, and ServiceAccounts without API tokens. (The aws cluster
 * stack's kube-system charts are the cluster stack's concern, tested with it.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { NON_PUBLIC_IPV4 } from "../../constructs/serving/network-peers";
import { clusterServicesStackName } from "../../core/aws/names";
import { listEnvironments, loadEnvironment } from "../../core/load-environment";
import { stackName } from "../../core/names";
import { hostAgentsNamespace } from "../../monitoring/helm-values";
import { synthesize } from "../../stacks/synthesize";
import type { TerraformJson } from "../helpers/synth";
import { camelCaseKeys, podSpecFromProvider, restrictedViolations } from "./restricted-standard";

type Json = Record<string, unknown>;

const environments = listEnvironments();
/** Docker environments have no cluster: test/policy/docker.test.ts holds their checks. */
const clusterEnvironments = environments.filter((name) => loadEnvironment(name).kind !== "docker");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-least-privilege-"));
const result = synthesize(environments, outdir);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/**
 * What the environment deploys into its cluster, over its stacks: the serving stack and, on aws,
 * the cluster-services stack, which holds the monitoring charts there.
 */
function environmentStack(name: string): TerraformJson {
  const stacks = [stackName(name), clusterServicesStackName(name)]
    .map((stack) => path.join(outdir, "stacks", stack, "cdk.tf.json"))
    .filter((file) => fs.existsSync(file))
    .map((file) => JSON.parse(fs.readFileSync(file, "utf8")) as TerraformJson);
  const resource: TerraformJson["resource"] = {};
  for (const stack of stacks) {
    for (const [type, byId] of Object.entries(stack.resource)) resource[type] = { ...resource[type], ...byId };
  }
  return { resource };
}

const resources = (tf: TerraformJson, type: string) => Object.values(tf.resource[type] ?? {}) as Json[];

/** Every pod spec in the stack, by where it comes from, in the Kubernetes API's field names. */
function podSpecs(tf: TerraformJson): { source: string; spec: Json }[] {
  const deployments = Object.entries(tf.resource.kubernetes_deployment_v1 ?? {}).map(([id, d]) => ({
    source: `deployment ${id}`,
    spec: podSpecFromProvider((d as { spec: { template: { spec: Json } } }).spec.template.spec),
  }));
  const leaderWorkerSets = resources(tf, "kubernetes_manifest")
    .map((m) => m.manifest as { kind: string; metadata: { name: string }; spec: { leaderWorkerTemplate: Record<string, { spec: Json }> } })
    .filter((m) => m.kind === "LeaderWorkerSet")
    .flatMap((m) =>
      (["leaderTemplate", "workerTemplate"] as const).map((template) => ({
        source: `${m.metadata.name} ${template}`,
        spec: m.spec.leaderWorkerTemplate[template].spec,
      })),
    );
  const jobs = Object.entries(tf.resource.kubernetes_job_v1 ?? {}).map(([id, j]) => ({
    source: `job ${id}`,
    spec: podSpecFromProvider((j as { spec: { template: { spec: Json } } }).spec.template.spec),
  }));
  return [...deployments, ...leaderWorkerSets, ...jobs];
}

function helmValues(tf: TerraformJson, release: string): Json | undefined {
  const found = resources(tf, "helm_release").find((r) => r.name === release) as { values: string[]; namespace: string } | undefined;
  return found && { ...(YAML.parse(found.values[0]) as Json), __namespace: found.namespace };
}

const get = (values: Json, dotted: string): Json => dotted.split(".").reduce((v, key) => v?.[key] as Json, values);

it("synthesizes every environment", () => {
  expect(result.failed).toEqual([]);
  expect(result.synthesized.map((e) => e.name)).toEqual(environments);
});

it("the checker flags what the restricted standard forbids (so a passing check means something)", () => {
  expect(restrictedViolations({ containers: [{ name: "root" }] })).toEqual(
    expect.arrayContaining([
      "root: allowPrivilegeEscalation is not false",
      "root: capabilities do not drop ALL",
      "root: runAsNonRoot is not true",
      "root: no RuntimeDefault or Localhost seccomp profile",
    ]),
  );
  expect(
    restrictedViolations({
      hostNetwork: true,
      volumes: [{ name: "sock", hostPath: { path: "/var/run" } }],
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        { name: "c", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } },
      ],
    }),
  ).toEqual(["hostNetwork is true", "volume sock is of type hostPath", "c: adds capability SYS_ADMIN"]);
});

describe.each(clusterEnvironments)("environment %s", (name) => {
  const tf = () => environmentStack(name);
  const environment = () => result.synthesized.find((e) => e.name === name)!;

  it("runs every pod it writes under the restricted Pod Security Standard, with read-only roots", () => {
    const pods = podSpecs(tf());
    expect(pods.length).toBeGreaterThanOrEqual(environment().models.length);
    // The warm-up Jobs' pods are among them (modelCache.warmup defaults to true).
    const warmups = environment().config.modelCache.warmup ? environment().models.length : 0;
    expect(pods.filter(({ source }) => source.startsWith("job ")).length).toBe(warmups);
    for (const { source, spec } of pods) {
      expect({ source, violations: restrictedViolations(spec) }).toEqual({ source, violations: [] });
      for (const container of spec.containers as Json[]) {
        expect({ source, container: container.name, readOnly: (container.securityContext as Json).readOnlyRootFilesystem }).toEqual({
          source,
          container: container.name,
          readOnly: true,
        });
      }
    }
  });

  it("sets restricted security contexts in every chart value it owns; only the host agents are excepted", () => {
    const kps = helmValues(tf(), "kube-prometheus-stack");
    if (!environment().config.monitoring.enabled) return expect(kps).toBeUndefined();
    expect(kps).toBeDefined();
    const values = kps!;
    const full = (pod: string, ...containers: string[]) =>
      restrictedViolations({
        securityContext: get(values, pod),
        containers: containers.map((path) => ({ name: path, securityContext: get(values, path) })),
      });
    expect(full("prometheusOperator.securityContext", "prometheusOperator.containerSecurityContext")).toEqual([]);
    expect(
      full(
        "prometheusOperator.admissionWebhooks.patch.securityContext",
        "prometheusOperator.admissionWebhooks.createSecretJob.securityContext",
        "prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext",
      ),
    ).toEqual([]);
    expect(full("kube-state-metrics.securityContext", "kube-state-metrics.containerSecurityContext")).toEqual([]);
    expect(full("grafana.securityContext", "grafana.containerSecurityContext", "grafana.sidecar.securityContext")).toEqual([]);
    // The operator writes the Prometheus and Alertmanager containers' contexts itself; the pods' are the kit's.
    for (const pod of ["prometheus.prometheusSpec.securityContext", "alertmanager.alertmanagerSpec.securityContext"]) {
      expect(get(values, pod)).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(get(values, pod).runAsUser).not.toBe(0);
    }
    expect(get(values, "grafana.testFramework.enabled")).toBe(false);
    expect(get(values, "grafana.initChownData.enabled")).toBe(false);

    // The exception: node-exporter needs the host; it runs non-root without capabilities, elsewhere.
    expect(get(values, "prometheus-node-exporter.namespaceOverride")).toMatch(/kubernetes_namespace_v1\.monitoring_host-agents-namespace/);
    expect(get(values, "prometheus-node-exporter.containerSecurityContext")).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(get(values, "prometheus-node-exporter.securityContext")).toMatchObject({ runAsNonRoot: true });

    const dcgm = helmValues(tf(), "dcgm-exporter");
    if (environment().config.monitoring.dcgmExporter.enabled) {
      expect(dcgm!.__namespace).toMatch(/kubernetes_namespace_v1\.monitoring_host-agents-namespace/);
      const context = get(dcgm!, "securityContext") as {
        capabilities: { add?: string[]; drop: string[] };
        allowPrivilegeEscalation: boolean;
      };
      expect(context.capabilities).toEqual({ drop: ["ALL"] });
      expect(context.allowPrivilegeEscalation).toBe(false);
      expect(get(dcgm!, "customMetrics") as unknown as string).not.toContain("DCGM_FI_PROF_");
    }
  });

  it("labels every namespace for Pod Security Admission: restricted, except the host agents' privileged one", () => {
    const namespaces = resources(tf(), "kubernetes_namespace_v1").map((n) => (n as { metadata: { name: string; labels: Json } }).metadata);
    expect(namespaces.length).toBeGreaterThan(0);
    const agents = hostAgentsNamespace(environment().config.monitoring.namespace);
    for (const { name: namespace, labels } of namespaces) {
      const level = namespace === agents ? "privileged" : "restricted";
      expect({ namespace, labels }).toEqual({
        namespace,
        labels: expect.objectContaining({
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/audit": level,
          "pod-security.kubernetes.io/warn": level,
        }),
      });
    }
    // Nothing the kit writes itself runs in the privileged namespace.
    const deploymentNamespaces = resources(tf(), "kubernetes_deployment_v1").map(
      (d) => (d as { metadata: { namespace: string } }).metadata.namespace,
    );
    for (const namespace of deploymentNamespaces) expect(namespace).not.toContain("host-agents");
  });

  it("denies egress by default in every namespace it creates and allows the Internet only on 443, never to private ranges", () => {
    const policies = resources(tf(), "kubernetes_network_policy_v1").map(
      (p) => camelCaseKeys(p) as { metadata: { name: string; namespace: string }; spec: Json },
    );
    const namespaceRefs = Object.keys(tf().resource.kubernetes_namespace_v1 ?? {});
    for (const ref of namespaceRefs) {
      const inNamespace = policies.filter((p) => p.metadata.namespace.includes(`kubernetes_namespace_v1.${ref}.`));
      expect({ ref, denyEgress: inNamespace.find((p) => p.metadata.name === "default-deny-egress")?.spec }).toEqual({
        ref,
        denyEgress: { podSelector: {}, policyTypes: ["Egress"] },
      });
      expect(inNamespace.find((p) => p.metadata.name === "allow-dns")?.spec).toMatchObject({
        egress: [
          {
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
        ],
      });
    }
    for (const policy of policies) {
      for (const rule of (policy.spec.egress ?? []) as {
        to?: { ipBlock?: { cidr: string; except?: string[] } }[];
        ports?: { port: string }[];
      }[]) {
        const internet = rule.to?.find((peer) => peer.ipBlock?.cidr === "0.0.0.0/0");
        if (!internet) continue;
        expect({ policy: policy.metadata.name, except: internet.ipBlock?.except, ports: rule.ports }).toEqual({
          policy: policy.metadata.name,
          except: expect.arrayContaining(NON_PUBLIC_IPV4),
          ports: [{ port: "443", protocol: "TCP" }],
        });
      }
    }
    // The download path is one named policy per model, on its cache warm-up Job's pod only (the
    // servers start offline from the warmed cache), or on its vLLM pods where warm-up is off.
    const downloads = policies.filter((p) => p.metadata.name.endsWith("-model-download"));
    expect(downloads).toHaveLength(environment().models.length);
    const downloader = environment().config.modelCache.warmup ? "model-cache-warmup" : "vllm";
    for (const policy of downloads)
      expect((policy.spec.podSelector as Json).matchLabels).toMatchObject({ "app.kubernetes.io/name": downloader });
  });

  it("gives every workload its own ServiceAccount; only a router's pods get an API token, which can only read pods", () => {
    const accounts = resources(tf(), "kubernetes_service_account_v1");
    const routers = resources(tf(), "kubernetes_role_binding_v1");
    expect(accounts).toHaveLength(environment().models.length + routers.length);
    for (const account of accounts) expect(account.automount_service_account_token).toBe(false);
    // A router discovers its model's pods through the API: a Role in the serving namespace, pods, read-only.
    for (const role of resources(tf(), "kubernetes_role_v1"))
      expect(role.rule).toEqual([{ api_groups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
    expect(resources(tf(), "kubernetes_cluster_role_v1")).toEqual([]);
    const routerAccounts = routers.map((binding) => (binding.subject as Json[])[0].name);
    for (const { source, spec } of podSpecs(tf())) {
      const token = routerAccounts.includes(spec.serviceAccountName);
      expect({ source, automount: spec.automountServiceAccountToken }).toEqual({ source, automount: token });
      expect(spec.serviceAccountName).toMatch(/kubernetes_service_account_v1\./);
    }
    const kps = helmValues(tf(), "kube-prometheus-stack");
    if (kps) {
      expect(get(kps, "alertmanager.alertmanagerSpec.automountServiceAccountToken")).toBe(false);
      expect(get(kps, "prometheus-node-exporter.serviceAccount.automountServiceAccountToken")).toBe(false);
    }
    const dcgm = helmValues(tf(), "dcgm-exporter");
    if (dcgm) expect(get(dcgm, "kubernetes")).toEqual({ enablePodLabels: false, enablePodUID: false });
  });
});
