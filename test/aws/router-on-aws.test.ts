/**
 * A routed model on aws: the router runs beside the cluster's controllers on the system nodes
 * (GPU nodes are tainted for vLLM), behind the model's load balancer, and the system node group
 * must have room for every router pod.
 */
import { formatIssue } from "../../core/errors";
import { eksNodeAllocatable, EKS_NODE_DAEMONSETS } from "../../core/aws/node-allocatable";
import { findAwsSystemInstance } from "../../core/catalog/aws-instances";
import { ROUTER_POD_REQUESTS } from "../../core/validation/system-nodes";
import { awsYaml, issueAt, issuesOf, type Document } from "./fixtures";
import { synthesizeAwsYaml } from "./synth-aws";

/** Two replicas of the base model on a two-GPU pool, so it gets a router. */
const routed = (change: (doc: Document) => void = () => undefined) =>
  awsYaml((doc) => {
    doc.gpuPools[0] = { name: "l4", instanceType: "g6.12xlarge", nodes: 1 };
    doc.models[0] = { ...doc.models[0], replicas: 2 };
    change(doc);
  });

type Deployment = {
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    replicas: string;
    template: { spec: { container: { name: string; image: string }[]; toleration?: unknown[]; nodeSelector?: unknown } };
  };
};

describe("a routed model on aws", () => {
  const { serving } = synthesizeAwsYaml({ routed: routed() }).get("routed")!;
  const deployments = Object.values(serving.resource.kubernetes_deployment_v1 ?? {}) as unknown as Deployment[];
  const router = deployments.find((d) => d.metadata.labels["app.kubernetes.io/name"] === "vllm-router")!;

  it("gets a router Deployment in the serving stack, on no GPU node: it tolerates no taint and selects no GPU pool", () => {
    expect(router).toBeDefined();
    expect(router.spec.replicas).toBe("2");
    expect(router.spec.template.spec.toleration ?? []).toEqual([]);
    expect(router.spec.template.spec.nodeSelector).toBeUndefined();
    expect(router.spec.template.spec.container.map((c) => c.name)).toEqual(["router", "api-gateway"]);
  });

  it("puts the router pods, not the replicas, behind the model's load balancer", () => {
    type Service = { spec: { type?: string; selector: Record<string, string> } };
    const services = Object.values(serving.resource.kubernetes_service_v1 ?? {}) as unknown as Service[];
    const balancer = services.find((s) => s.spec.type === "LoadBalancer")!;
    expect(balancer.spec.selector["app.kubernetes.io/name"]).toBe("vllm-router");
  });

  it("lets the router read only pods, in its own namespace", () => {
    const roles = Object.values(serving.resource.kubernetes_role_v1 ?? {}) as { rule: { resources: string[]; verbs: string[] }[] }[];
    expect(roles.flatMap((r) => r.rule)).toEqual([{ api_groups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
    expect(serving.resource.kubernetes_cluster_role_v1).toBeUndefined();
  });
});

describe("the system nodes hold the routers", () => {
  const systemNode = eksNodeAllocatable(findAwsSystemInstance("m6i.large")!);
  const perNode = Math.floor((systemNode.cpuMilli - EKS_NODE_DAEMONSETS.cpuMilli) / ROUTER_POD_REQUESTS.cpuMilli);

  it("so three models' two routers each do not fit one m6i.large, and the refusal names the group and the fixes", () => {
    expect(perNode).toBe(2);
    const yaml = routed((doc) => {
      doc.target.systemNodes = { instanceType: "m6i.large", nodes: 1 };
      doc.gpuPools[0] = { name: "l4", instanceType: "g6.48xlarge", nodes: 1 };
      doc.models = ["a", "b", "c"].map((name) => ({ ...doc.models[0], servedName: name, replicas: 2 }));
    });
    const issue = issueAt(yaml, "target.systemNodes.nodes");
    expect(formatIssue(issue)).toContain(
      "the 6 router pods (a, b, c) request 3.6 CPU and 3.4 GiB in all; 1 m6i.large system node(s) with 1.775 CPU and 6.6 GiB each for pods leave 4 of them Pending",
    );
    expect(issue.fix).toBe(
      "raise target.systemNodes.nodes, choose a larger target.systemNodes.instanceType, or fewer router replicas (models[].router.replicas)",
    );
  });

  it("and fit once the group has the nodes, or the models fewer router replicas", () => {
    const threeModels = (doc: Document, systemNodes: number, routerReplicas: number) => {
      doc.target.systemNodes = { instanceType: "m6i.large", nodes: systemNodes };
      doc.gpuPools[0] = { name: "l4", instanceType: "g6.48xlarge", nodes: 1 };
      doc.models = ["a", "b", "c"].map((name) => ({
        ...doc.models[0],
        servedName: name,
        replicas: 2,
        router: { replicas: routerReplicas },
      }));
    };
    expect(issuesOf(routed((doc) => threeModels(doc, 3, 2)))).toEqual([]);
    expect(issuesOf(routed((doc) => threeModels(doc, 2, 1)))).toEqual([]);
    expect(issuesOf(routed((doc) => threeModels(doc, 1, 1))).map((i) => i.field)).toEqual(["target.systemNodes.nodes"]);
  });

  it("counts nothing for a model with one replica, which has no router", () => {
    const yaml = awsYaml((doc) => (doc.target.systemNodes = { instanceType: "t3.large", nodes: 1 }));
    expect(issuesOf(yaml)).toEqual([]);
  });
});
