/** A model with several replicas gets vllm-project/router in front: asserted on the synthesized Terraform JSON. */
import { BASE_ENVIRONMENT, environmentFrom, synthStack, type TerraformJson } from "../helpers/synth";
import { EnvironmentError } from "../../core/errors";
import { ROUTER_IMAGE } from "../../core/pins";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The serving namespace, as every object of the stack references it. */
const NAMESPACE = "${kubernetes_namespace_v1.serving-namespace_54D67AAD.metadata[0].name}";
const withModel = (extra: string) => BASE_ENVIRONMENT.replace("    maxModelLen: 16384\n", `    maxModelLen: 16384\n${extra}`);
const resources = (tf: TerraformJson, type: string): Json[] => Object.values(tf.resource[type] ?? {});
const byName = (tf: TerraformJson, type: string, name: string): Json | undefined =>
  resources(tf, type).find((r) => r.metadata?.name === name);

describe("a model with one replica", () => {
  const { tf } = synthStack(environmentFrom(BASE_ENVIRONMENT));
  it("has no router, no PodDisruptionBudget, and its Service selects the vLLM pods", () => {
    expect(resources(tf, "kubernetes_role_v1")).toEqual([]);
    expect(resources(tf, "kubernetes_pod_disruption_budget_v1")).toEqual([]);
    expect(byName(tf, "kubernetes_service_v1", "aicockpit-qwen-coder")!.spec.selector["app.kubernetes.io/name"]).toBe("vllm");
  });
});

describe("a model with three replicas", () => {
  const { tf } = synthStack(environmentFrom(withModel("    replicas: 3\n    router: { policy: session }\n")));
  const router = () => byName(tf, "kubernetes_deployment_v1", "aicockpit-qwen-coder-router")!;
  const routerContainer = () => router().spec.template.spec.container.find((c: Json) => c.name === "router");

  it("puts the pinned router in front, selecting the model's vLLM pods in its namespace and reaching their gateways", () => {
    const container = routerContainer();
    expect(container.image).toBe(ROUTER_IMAGE);
    const args: string[] = container.args;
    expect(args).toEqual(
      expect.arrayContaining([
        "--service-discovery",
        `--service-discovery-namespace=${NAMESPACE}`,
        "--service-discovery-port=8080",
        "--policy=consistent_hash",
        "--prometheus-port=29000",
      ]),
    );
    const selector = args.slice(args.indexOf("--selector") + 1, args.indexOf("--selector") + 3);
    expect(selector).toEqual(["app.kubernetes.io/name=vllm", "app.kubernetes.io/instance=aicockpit-qwen-coder"]);
    expect(args).not.toContain("--api-key");
  });

  it("points the model's Service at the router pods", () => {
    const service = byName(tf, "kubernetes_service_v1", "aicockpit-qwen-coder")!;
    expect(service.spec.selector).toEqual(router().spec.template.metadata.labels);
    expect(service.spec.selector["app.kubernetes.io/name"]).toBe("vllm-router");
  });

  it("grants the router only reading pods in its own namespace, through a token no other pod gets", () => {
    const roles = resources(tf, "kubernetes_role_v1");
    expect(roles).toHaveLength(1);
    expect(roles[0].metadata.namespace).toBe(NAMESPACE);
    expect(roles[0].rule).toEqual([{ api_groups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
    expect(resources(tf, "kubernetes_cluster_role_v1")).toEqual([]);
    const binding = resources(tf, "kubernetes_role_binding_v1")[0];
    expect(binding.subject).toEqual([{ kind: "ServiceAccount", name: expect.stringContaining("router"), namespace: NAMESPACE }]);
    const tokenPods = resources(tf, "kubernetes_deployment_v1").filter((d) => d.spec.template.spec.automount_service_account_token);
    expect(tokenPods.map((d) => d.metadata.name)).toEqual(["aicockpit-qwen-coder-router"]);
  });

  it("serves only /v1 and /health through the router pod's gateway, tokenizing on the replicas", () => {
    const config = byName(tf, "kubernetes_config_map_v1", "aicockpit-qwen-coder-router-gateway")!.data["default.conf"] as string;
    expect(config).toContain("location /v1/ {");
    expect(config).toMatch(
      /proxy_pass http:\/\/\$\{kubernetes_service_v1\.[^}]*router_replicas[^}]*\}\.\$\{[^}]*\}\.svc:8080\/v1\/tokenize;/,
    );
    expect(config).not.toMatch(/add_worker|flush_cache/);
    expect(config).toMatch(/location \/ \{\s*return 404;/);
  });

  it("keeps a replica and a router through a drain", () => {
    const budgets = resources(tf, "kubernetes_pod_disruption_budget_v1");
    expect(budgets.map((b) => [b.metadata.name, b.spec.max_unavailable]).sort()).toEqual([
      ["aicockpit-qwen-coder", "1"],
      ["aicockpit-qwen-coder-router", "1"],
    ]);
  });

  it("admits clients to the router's gateway, the router to the replicas' gateways, and the router to the API server", () => {
    const api = byName(tf, "kubernetes_network_policy_v1", "aicockpit-allow-api-routers")!;
    expect(api.spec.pod_selector.match_labels["app.kubernetes.io/name"]).toBe("vllm-router");
    expect(api.spec.ingress[0].ports).toEqual([{ port: "8080", protocol: "TCP" }]);
    const egress = byName(tf, "kubernetes_network_policy_v1", "aicockpit-qwen-coder-router-egress")!;
    expect(egress.spec.egress[0].ports).toEqual([{ port: "8080", protocol: "TCP" }]);
    expect(egress.spec.egress[1].ports.map((p: Json) => p.port)).toEqual(["443", "6443"]);
    const toReplicas = byName(tf, "kubernetes_network_policy_v1", "aicockpit-qwen-coder-router-to-replicas")!;
    expect(toReplicas.spec.pod_selector.match_labels["app.kubernetes.io/name"]).toBe("vllm");
  });
});

describe("the router field", () => {
  it("is refused on a model with one replica, where it would route nothing", () => {
    expect(() => environmentFrom(withModel("    router: { policy: round-robin }\n"))).toThrow(EnvironmentError);
    try {
      environmentFrom(withModel("    router: { policy: round-robin }\n"));
    } catch (error) {
      expect(String((error as Error).message)).toMatch(/models\[0\]\.router[\s\S]*nothing to route between/);
    }
  });

  it("defaults to the cache-aware policy", () => {
    const { tf } = synthStack(environmentFrom(withModel("    replicas: 2\n")));
    const container = byName(tf, "kubernetes_deployment_v1", "aicockpit-qwen-coder-router")!.spec.template.spec.container[0];
    expect(container.args).toContain("--policy=cache_aware");
  });
});
