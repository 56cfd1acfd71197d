/**
 * `modelCache.accessMode: ReadWriteMany` on aws: the kit's EFS file system, its EFS CSI driver and
 * StorageClass, and claims every node can mount, asserted on the three stacks' Terraform JSON;
 * and what it changes in validation and in the cost summary.
 */
import { awsCostEstimate, formatCostLines } from "../../core/aws/cost";
import type { AwsEnvironment } from "../../core/load-environment";
import { VLLM_UID } from "../../constructs/serving/pod-security";
import { AWS_ENVIRONMENT, awsEnvironment, awsYaml, issueAt, issuesOf } from "./fixtures";
import { only, referenced, resources, synthesizeAwsYaml, type Block, type SynthesizedAws } from "./synth-aws";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed YAML document
const twoNodes = (doc: Record<string, any>) => {
  doc.gpuPools[0].nodes = 2;
  doc.models[0].replicas = 2;
};
const SHARED = awsYaml((doc) => {
  twoNodes(doc);
  doc.modelCache = { accessMode: "ReadWriteMany" };
});

let shared: SynthesizedAws;
let base: SynthesizedAws;
let named: SynthesizedAws;

beforeAll(() => {
  const synthesized = synthesizeAwsYaml({
    shared: SHARED,
    base: AWS_ENVIRONMENT,
    named: awsYaml((doc) => (doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "my-fsx" })),
  });
  shared = synthesized.get("shared")!;
  base = synthesized.get("base")!;
  named = synthesized.get("named")!;
});

const claimOf = (stack: SynthesizedAws) =>
  only(stack.serving, "kubernetes_persistent_volume_claim_v1") as { spec: { access_modes: string[]; storage_class_name?: string } };

describe("the shared model cache's file system", () => {
  it("is encrypted, with Elastic throughput, and a mount target in each private subnet behind the kit's group only", () => {
    const fileSystem = only(shared.cluster, "aws_efs_file_system");
    expect(fileSystem).toMatchObject({ encrypted: true, throughput_mode: "elastic", performance_mode: "generalPurpose" });
    const targets = resources(shared.cluster, "aws_efs_mount_target").map(([, t]) => t as { subnet_id: string; security_groups: string[] });
    const privateSubnets = resources(shared.cluster, "aws_subnet")
      .filter(([, s]) => (s as { tags: Record<string, string> }).tags.Name.includes("private"))
      .map(([id]) => id);
    expect(privateSubnets.length).toBeGreaterThanOrEqual(2);
    expect(targets.map((t) => referenced(shared.cluster, t.subnet_id)[0]).sort()).toEqual(
      privateSubnets.map((id) => `aws_subnet.${id}`).sort(),
    );
    const [groupId] = referenced(shared.cluster, targets[0].security_groups[0]);
    for (const target of targets) expect(target.security_groups).toEqual([targets[0].security_groups[0]]);
    expect(groupId).toMatch(/^aws_security_group\./);
  });

  it("replaces EFS's default policy (anyone, as root): mount and write via a mount target, never as root, only over TLS", () => {
    const policy = only(shared.cluster, "aws_efs_file_system_policy") as { file_system_id: string; policy: string };
    expect(referenced(shared.cluster, policy.file_system_id)[0]).toMatch(/^aws_efs_file_system\./);
    const documentId = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policy.policy)![1];
    const { statement } = shared.cluster.data.aws_iam_policy_document[documentId] as {
      statement: { effect: string; actions: string[]; principals: unknown[]; condition: unknown[] }[];
    };
    expect(statement.map(({ effect, actions, condition }) => ({ effect, actions, condition }))).toEqual([
      {
        effect: "Allow",
        actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        condition: [{ test: "Bool", variable: "elasticfilesystem:AccessedViaMountTarget", values: ["true"] }],
      },
      { effect: "Deny", actions: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
    ]);
    expect(JSON.stringify(statement)).not.toContain("ClientRootAccess");
  });

  it("admits NFS (TCP 2049) from the node subnets and nothing else, and opens nothing outward", () => {
    const group = only(shared.cluster, "aws_security_group");
    expect(group.egress).toEqual([]);
    expect(group).not.toHaveProperty("ingress");
    const rules = resources(shared.cluster, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    const nfs = rules.filter((r) => String(r.security_group_id).includes("shared-model-cache"));
    expect(nfs.length).toBe(resources(shared.cluster, "aws_efs_mount_target").length);
    for (const rule of nfs) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 2049, to_port: 2049 });
      const [subnet] = referenced(shared.cluster, rule.cidr_ipv4);
      expect(subnet).toMatch(/^aws_subnet\..*private/);
    }
  });

  it("comes with the EFS CSI driver, whose controller alone may assume a role with AWS's EFS CSI policy", () => {
    const addons = Object.fromEntries(resources(shared.cluster, "aws_eks_addon").map(([, a]) => [a.addon_name, a]));
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "aws-efs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
    const [roleId] = referenced(shared.cluster, addons["aws-efs-csi-driver"].service_account_role_arn);
    const attachments = resources(shared.cluster, "aws_iam_role_policy_attachment")
      .map(([, a]) => a as { role: string; policy_arn: string })
      .filter((a) => a.role.includes(roleId.replace(/^aws_iam_role\./, "")));
    expect(attachments.map((a) => a.policy_arn)).toEqual([
      "arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
    ]);
    const trust = Object.values(shared.cluster.data.aws_iam_policy_document).map((d) => JSON.stringify(d));
    expect(trust.filter((t) => t.includes("system:serviceaccount:kube-system:efs-csi-controller-sa"))).toHaveLength(1);
  });

  it("gets a StorageClass of access points owned by the vLLM user, on the file system the cluster stack made", () => {
    const classes = resources(shared.services, "kubernetes_storage_class_v1").map(([, c]) => c as Block & { metadata: { name: string } });
    const efs = classes.find((c) => c.metadata.name === "aicockpit-efs")!;
    expect(efs).toMatchObject({
      storage_provisioner: "efs.csi.aws.com",
      allow_volume_expansion: false,
      reclaim_policy: "Delete",
      parameters: { provisioningMode: "efs-ap", directoryPerms: "700", uid: String(VLLM_UID), gid: String(VLLM_UID) },
    });
    const fileSystemId = String((efs.parameters as Record<string, string>).fileSystemId);
    expect(fileSystemId).toMatch(/terraform_remote_state.*aws_efs_file_system/);
    // It is not the default class: the monitoring volumes stay on gp3.
    expect(efs.metadata).not.toHaveProperty("annotations");
  });

  it("holds every model's cache: a ReadWriteMany claim on that class", () => {
    expect(claimOf(shared).spec).toMatchObject({ access_modes: ["ReadWriteMany"], storage_class_name: "aicockpit-efs" });
  });
});

describe("a pool on the shared cache", () => {
  const subnetsOf = (stack: SynthesizedAws) =>
    resources(stack.cluster, "aws_eks_node_group")
      .map(([, group]) => group as { node_group_name: string; subnet_ids: string[] })
      .find((group) => group.node_group_name.startsWith("gpu-"))!
      .subnet_ids.map((id) => referenced(stack.cluster, id)[0])
      .sort();
  const privateSubnets = (stack: SynthesizedAws) =>
    resources(stack.cluster, "aws_subnet")
      .filter(([, s]) => (s as { tags: Record<string, string> }).tags.Name.includes("private"))
      .map(([id]) => `aws_subnet.${id}`)
      .sort();

  it("spans every AZ unless it names one, since every node mounts the cache; on EBS it keeps one", () => {
    expect(subnetsOf(shared)).toEqual(privateSubnets(shared));
    expect(subnetsOf(shared).length).toBeGreaterThanOrEqual(2);
    expect(subnetsOf(base)).toEqual([privateSubnets(base)[0]]);
    const pinned = synthesizeAwsYaml({
      pinned: awsYaml((doc) => {
        doc.target.availabilityZones = ["us-east-1a", "us-east-1b"];
        doc.gpuPools[0].availabilityZone = "us-east-1b";
        doc.modelCache = { accessMode: "ReadWriteMany" };
      }),
    }).get("pinned")!;
    expect(subnetsOf(pinned)).toHaveLength(1);
    expect(subnetsOf(pinned)).not.toEqual([privateSubnets(pinned)[0]]);
  });
});

describe("without it", () => {
  it("builds no file system, driver or class, and the claim takes the default gp3 class", () => {
    for (const type of ["aws_efs_file_system", "aws_efs_mount_target", "aws_security_group"])
      expect(resources(base.cluster, type)).toEqual([]);
    expect(resources(base.cluster, "aws_eks_addon").map(([, a]) => a.addon_name)).not.toContain("aws-efs-csi-driver");
    expect(claimOf(base).spec.access_modes).toEqual(["ReadWriteOnce"]);
    expect(claimOf(base).spec).not.toHaveProperty("storage_class_name");
  });

  it("uses a class the file names instead of building one", () => {
    expect(resources(named.cluster, "aws_efs_file_system")).toEqual([]);
    expect(claimOf(named).spec).toMatchObject({ access_modes: ["ReadWriteMany"], storage_class_name: "my-fsx" });
  });
});

describe("validation and cost", () => {
  it("refuses replicas over one instance on EBS, naming ReadWriteMany as a fix, and takes them on EFS", () => {
    const issue = issueAt(awsYaml(twoNodes), "models[0].replicas");
    expect(issue.message).toContain("share one EBS model cache");
    expect(issue.fix).toContain("modelCache.accessMode: ReadWriteMany");
    expect(issuesOf(SHARED)).toEqual([]);
  });

  it("refuses the kit's own EFS class named in the file, where the kit would not build it", () => {
    for (const accessMode of ["ReadWriteMany", "ReadWriteOnce"]) {
      const issue = issueAt(
        awsYaml((doc) => (doc.modelCache = { accessMode, storageClass: "aicockpit-efs" })),
        "modelCache.storageClass",
      );
      expect(issue.message).toBe("aicockpit-efs is the class of the kit's EFS cache, which it builds only when storageClass is absent");
      expect(issue.fix).toContain("remove storageClass and set modelCache.accessMode: ReadWriteMany");
    }
  });

  it("names EFS among the usage charges the estimate leaves out", () => {
    const sharedLines = formatCostLines(
      awsCostEstimate(
        (awsEnvironment((doc) => ((doc.modelCache = { accessMode: "ReadWriteMany" }), twoNodes(doc))) as AwsEnvironment).config,
      ),
    );
    expect(sharedLines.join("\n")).toContain(
      "before EBS storage, EFS storage and Elastic throughput (per GB read and written), data transfer and NLB capacity units",
    );
    expect(formatCostLines(awsCostEstimate((awsEnvironment() as AwsEnvironment).config)).join("\n")).not.toContain("EFS");
  });
});
