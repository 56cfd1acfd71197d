/** An autoscaled model on aws: node group bounds, the cluster autoscaler with its scoped IAM role, KEDA and the ScaledObject, on the Terraform JSON. */
import YAML from "yaml";
import { awsCostEstimate, usd } from "../../core/aws/cost";
import type { AwsEnvironmentConfig } from "../../core/environment";
import { formatEnvironmentSummary } from "../../core/summary";
import { CLUSTER_AUTOSCALER_CHART, KEDA_CHART } from "../../core/pins";
import { awsYaml } from "./fixtures";
import { synthesizeAwsYaml, type Block } from "./synth-aws";

const scaled = awsYaml((doc) => {
  doc.gpuPools[0].instanceType = "g6.12xlarge";
  doc.gpuPools[0].maxNodes = 2;
  doc.models[0].autoscaling = { minReplicas: 1, maxReplicas: 4 };
});
const fixed = awsYaml();
const synthesized = synthesizeAwsYaml({ scaled, fixed });
const { cluster, services, serving } = synthesized.get("scaled")!;

const values = (blocks: Record<string, Block>): Block[] => Object.values(blocks ?? {});
const release = (stack: typeof services, chart: string) => values(stack.resource.helm_release).find((r) => r.chart === chart);

describe("an autoscaled model's GPU node group", () => {
  const group = values(cluster.resource.aws_eks_node_group).find((g) => g.node_group_name === "gpu-l4")!;

  it("may grow to maxNodes, and its desired size is left to the cluster autoscaler", () => {
    expect(group.scaling_config).toEqual({ desired_size: 1, min_size: 1, max_size: 2 });
    expect(group.lifecycle).toEqual({ ignore_changes: ["scaling_config[0].desired_size"] });
  });

  it("stays fixed, with no autoscaler, when no model on the pool autoscales", () => {
    const plain = synthesized.get("fixed")!;
    const fixedGroup = values(plain.cluster.resource.aws_eks_node_group).find((g) => g.node_group_name === "gpu-l4")!;
    expect(fixedGroup.scaling_config).toEqual({ desired_size: 1, min_size: 1, max_size: 1 });
    expect(fixedGroup.lifecycle).toBeUndefined();
    expect(release(plain.services, "cluster-autoscaler")).toBeUndefined();
    expect(release(plain.services, "keda")).toBeUndefined();
    expect(plain.cluster.text).not.toContain("autoscaling:SetDesiredCapacity");
  });
});

describe("the cluster autoscaler", () => {
  it("resizes only Auto Scaling groups tagged as this cluster's", () => {
    const documents = values(cluster.data.aws_iam_policy_document).map((d) => d.statement as Block[]);
    const statements = documents.find((s) => JSON.stringify(s).includes("autoscaling:SetDesiredCapacity"))!;
    const resize = statements.find((s) => s.sid === "ResizeThisClustersGroups")!;
    expect(resize).toEqual({
      sid: "ResizeThisClustersGroups",
      effect: "Allow",
      actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      resources: ["*"],
      condition: [{ test: "Null", variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/aicockpit-scaled", values: ["false"] }],
    });
    const read = statements.find((s) => s.sid === "Read")!;
    expect((read.actions as string[]).every((action) => /:(Describe|Get)/.test(action))).toBe(true);
    expect(statements).toHaveLength(2);
  });

  it("is trusted by its own service account only (IRSA)", () => {
    const trust = values(cluster.data.aws_iam_policy_document)
      .map((d) => JSON.stringify(d))
      .find((d) => d.includes("system:serviceaccount:kube-system:cluster-autoscaler"));
    expect(trust).toBeDefined();
  });

  it("runs the pinned chart in the services stack, with the role, the cluster's tags and a restricted pod", () => {
    const chart = release(services, "cluster-autoscaler")!;
    expect(chart).toMatchObject({
      version: CLUSTER_AUTOSCALER_CHART.version,
      repository: CLUSTER_AUTOSCALER_CHART.repository,
      namespace: "kube-system",
    });
    const settings = JSON.parse((chart.values as string[])[0]);
    expect(settings.autoDiscovery).toEqual({ clusterName: expect.stringMatching(/^\$\{data\.terraform_remote_state\..*cluster.*name\}$/) });
    expect(settings.image).toEqual({ tag: "v1.36.1" });
    expect(settings.rbac.serviceAccount).toEqual({
      create: true,
      name: "cluster-autoscaler",
      annotations: { "eks.amazonaws.com/role-arn": expect.stringContaining("cluster-autoscaler-role") },
    });
    expect(settings.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(settings.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
  });
});

describe("KEDA on aws", () => {
  it("is installed by the services stack, so the serving stack's ScaledObject finds its CRDs", () => {
    const keda = release(services, "keda")!;
    expect(keda.version).toBe(KEDA_CHART.version);
    expect(YAML.parse((keda.values as string[])[0]).watchNamespace).toBe("aicockpit");
    const scaledObject = values(serving.resource.kubernetes_manifest)
      .map((m) => m.manifest as Block)
      .find((m) => m.kind === "ScaledObject") as { spec: Block };
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 4 });
  });
});

describe("the synth summary of an autoscaled pool", () => {
  it("states the node group's bounds and the cost at maxNodes", () => {
    const { environment } = synthesized.get("scaled")!;
    const summary = formatEnvironmentSummary(environment);
    expect(summary).toContain("pool l4 1 (1–2, cluster autoscaler) × g6.12xlarge");
    const cost = awsCostEstimate(environment.config as AwsEnvironmentConfig);
    expect(cost.peakNodesUsdPerHour).toBeCloseTo(cost.nodesUsdPerHour + (cost.items[0].eachUsdPerHour ?? 0), 6);
    expect(summary).toContain(`with the cluster autoscaler at every GPU node group's maxNodes: nodes ${usd(cost.peakNodesUsdPerHour)}/h`);
    expect(formatEnvironmentSummary(synthesized.get("fixed")!.environment)).not.toContain("cluster autoscaler");
  });
});
