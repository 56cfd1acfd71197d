/** The cluster and cluster-services stacks' Terraform JSON: network, control plane, node groups, add-ons, IAM, certificate; charts. */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Release } from "@cdktf/provider-helm/lib/release";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { loadBalancerControllerPolicy } from "../../constructs/aws/load-balancer-controller-role";
import { LOAD_BALANCER_CONTROLLER_CHART, NVIDIA_DEVICE_PLUGIN_CHART } from "../../core/pins";
import { AWS_ENVIRONMENT, awsYaml } from "./fixtures";
import { only, referenced, resources, synthesizeAws, synthesizeAwsYaml, type Block, type SynthesizedAws } from "./synth-aws";

let base: SynthesizedAws;
let production: SynthesizedAws;
let singleZone: SynthesizedAws;
let privateApi: SynthesizedAws;

beforeAll(() => {
  const synthesized = synthesizeAwsYaml({
    base: AWS_ENVIRONMENT,
    production: awsYaml((doc) => {
      Object.assign(doc.target, {
        production: true,
        availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        vpcCidr: "10.20.0.0/16",
      });
      doc.gpuPools[0] = { name: "l4", instanceType: "g6.12xlarge", nodes: 2, rootVolumeGiB: 300, availabilityZone: "us-east-1b" };
    }),
    single: awsYaml((doc) => (doc.target.availabilityZones = ["us-east-1c"])),
    "private-api": awsYaml((doc) => delete doc.target.apiAllowedCidrs),
  });
  base = synthesized.get("base")!;
  production = synthesized.get("production")!;
  singleZone = synthesized.get("single")!;
  privateApi = synthesized.get("private-api")!;
});

describe("the EKS control plane", () => {
  it("runs the pinned version with Secrets encrypted by a rotating KMS key and every log type on", () => {
    expect(base.cluster.text).toHaveResourceWithProperties(EksCluster, {
      name: "aicockpit-base",
      version: "1.36",
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryption_config: expect.objectContaining({ resources: ["secrets"] }),
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: true },
      upgrade_policy: { support_type: "STANDARD" },
    });
    const cluster = only(base.cluster, "aws_eks_cluster") as { encryption_config: { provider: { key_arn: string } } };
    const [, key] = referenced(base.cluster, cluster.encryption_config.provider.key_arn);
    expect(key).toMatchObject({ enable_key_rotation: true });
    expect(base.cluster.text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(base.cluster.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/eks/aicockpit-base/cluster",
      retention_in_days: 90,
    });
  });

  it("serves its API privately, and publicly only to the allow-list when the file asks for public access", () => {
    expect(base.cluster.text).toHaveResourceWithProperties(EksCluster, {
      vpc_config: expect.objectContaining({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ["203.0.113.0/24"],
      }),
    });
    const { vpc_config: privateOnly } = only(privateApi.cluster, "aws_eks_cluster") as { vpc_config: Block };
    expect(privateOnly).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(privateOnly.public_access_cidrs).toBeUndefined();
  });

  it("encrypts its control-plane logs with a key only CloudWatch Logs may use, for that log group", () => {
    const logs = only(base.cluster, "aws_cloudwatch_log_group");
    const [keyId, key] = referenced(base.cluster, logs.kms_key_id);
    expect(keyId).toMatch(/^aws_kms_key\./);
    expect(key.enable_key_rotation).toBe(true);
    const policyRef = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(String(key.policy));
    expect(policyRef).not.toBeNull();
    const { statement } = base.cluster.data.aws_iam_policy_document[policyRef![1]] as { statement: Block[] };
    const logsStatement = statement.find((s) => JSON.stringify(s.principals).includes("logs.us-east-1.amazonaws.com"))!;
    expect(logsStatement.condition).toEqual([
      {
        test: "ArnEquals",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [
          expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:logs:us-east-1:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:log-group:\/aws\/eks\/aicockpit-base\/cluster$/,
          ),
        ],
      },
    ]);
    // The Secrets key is a different one.
    const cluster = only(base.cluster, "aws_eks_cluster") as { encryption_config: { provider: { key_arn: string } } };
    expect(referenced(base.cluster, cluster.encryption_config.provider.key_arn)[0]).not.toBe(keyId);
  });

  it("gets an OIDC provider and add-on roles that only their service account can assume", () => {
    expect(resources(base.cluster, "aws_iam_openid_connect_provider")).toHaveLength(1);
    const trust = Object.values(base.cluster.data.aws_iam_policy_document).map((d) => JSON.stringify(d));
    for (const account of ["kube-system:aws-node", "kube-system:ebs-csi-controller-sa", "kube-system:aws-load-balancer-controller"]) {
      const document = trust.find((t) => t.includes(`system:serviceaccount:${account}`));
      expect(document).toContain("sts:AssumeRoleWithWebIdentity");
      expect(document).toContain(':sub"');
    }
  });
});

describe("the network", () => {
  it("has a public, an internal-NLB and a private subnet in each of two AZs looked up at deploy time, and one NAT gateway", () => {
    const subnets = resources(base.cluster, "aws_subnet").map(
      ([, s]) => s as { cidr_block: string; availability_zone: string; tags: Record<string, string> },
    );
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([
      "10.0.0.0/20",
      "10.0.128.0/18",
      "10.0.16.0/20",
      "10.0.48.0/22",
      "10.0.52.0/22",
      "10.0.64.0/18",
    ]);
    expect(subnets.every((s) => /^\$\{element\(data\.aws_availability_zones\./.test(s.availability_zone))).toBe(true);
    const role = (name: string) => subnets.filter((s) => s.tags[`kubernetes.io/role/${name}`] === "1").map((s) => s.cidr_block);
    expect(role("elb").sort()).toEqual(["10.0.0.0/20", "10.0.16.0/20"]);
    // Internal NLBs get subnets of their own: none of the nodes' (and pods') subnets carries a load balancer role.
    expect(role("internal-elb").sort()).toEqual(["10.0.48.0/22", "10.0.52.0/22"]);
    expect(resources(base.cluster, "aws_nat_gateway")).toHaveLength(1);
  });

  it("gives production one NAT gateway per listed AZ, each private subnet routing through its own", () => {
    expect(resources(production.cluster, "aws_nat_gateway")).toHaveLength(3);
    expect(production.cluster.data.aws_availability_zones).toBeUndefined();
    const zones = resources(production.cluster, "aws_subnet").map(([, s]) => s.availability_zone);
    expect(new Set(zones)).toEqual(new Set(["us-east-1a", "us-east-1b", "us-east-1c"]));
    const natRoutes = resources(production.cluster, "aws_route").filter(([, r]) => r.nat_gateway_id !== undefined);
    expect(new Set(natRoutes.map(([, r]) => r.nat_gateway_id)).size).toBe(3);
  });

  it("gives a single-AZ environment an extra control-plane subnet in another AZ, used by no node", () => {
    const [id, subnet] = resources(singleZone.cluster, "aws_subnet").find(([key]) => key.startsWith("network_control-plane-only"))!;
    expect(subnet.cidr_block).toBe("10.0.128.0/18");
    expect(subnet.availability_zone).toMatch(/setsubtract\(data\.aws_availability_zones\.[^,]+\.names, \["us-east-1c"\]\)/);
    const cluster = only(singleZone.cluster, "aws_eks_cluster") as { vpc_config: { subnet_ids: string[] } };
    expect(cluster.vpc_config.subnet_ids).toHaveLength(2);
    expect(cluster.vpc_config.subnet_ids.some((s) => s.includes(id))).toBe(true);
    for (const [, group] of resources(singleZone.cluster, "aws_eks_node_group")) {
      expect(group.subnet_ids).toHaveLength(1);
      expect(JSON.stringify(group.subnet_ids)).not.toContain("control-plane-only");
    }
  });
});

describe("the node groups", () => {
  const groups = (stack: SynthesizedAws) =>
    Object.fromEntries(resources(stack.cluster, "aws_eks_node_group").map(([, g]) => [g.node_group_name, g]));

  it("are a CPU system group and one tainted NVIDIA group per pool, labelled for the vLLM pods and the device plugin", () => {
    expect(Object.keys(groups(base)).sort()).toEqual(["gpu-l4", "system"]);
    expect(base.cluster.text).toHaveResourceWithProperties(EksNodeGroup, {
      node_group_name: "system",
      ami_type: "AL2023_x86_64_STANDARD",
      instance_types: ["m6i.large"],
      scaling_config: { desired_size: 2, min_size: 2, max_size: 2 },
    });
    expect(groups(base).system.taint ?? []).toEqual([]);
    expect(base.cluster.text).toHaveResourceWithProperties(EksNodeGroup, {
      node_group_name: "gpu-l4",
      ami_type: "AL2023_x86_64_NVIDIA",
      instance_types: ["g6.2xlarge"],
      capacity_type: "ON_DEMAND",
      labels: { "aicockpit.dev/pool": "l4", "nvidia.com/gpu.present": "true" },
      taint: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
    });
  });

  it("select the same labels the vLLM pods are scheduled by", () => {
    const deployment = Object.values(base.serving.resource.kubernetes_deployment_v1)[0] as {
      spec: { template: { spec: { node_selector: Record<string, string> } } };
    };
    expect(groups(base)["gpu-l4"].labels).toMatchObject(deployment.spec.template.spec.node_selector);
  });

  it("keep the pool's size: nothing autoscales them", () => {
    expect(groups(production)["gpu-l4"].scaling_config).toEqual({ desired_size: 2, min_size: 2, max_size: 2 });
  });

  it("put each GPU group in one AZ (the pool's, else the first), the system group in all", () => {
    const subnetOf = (stack: SynthesizedAws, group: string) =>
      (groups(stack)[group].subnet_ids as string[]).map((id) => referenced(stack.cluster, id)[1].availability_zone);
    expect(subnetOf(production, "gpu-l4")).toEqual(["us-east-1b"]);
    expect(subnetOf(production, "system")).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(subnetOf(base, "gpu-l4")).toEqual([expect.stringMatching(/^\$\{element\(data\.aws_availability_zones\.[\w-]+\.names, 0\)\}$/)]);
    expect(subnetOf(base, "system")).toHaveLength(2);
  });

  it("boot from launch templates that require IMDSv2 and encrypt a gp3 root volume of the configured size", () => {
    expect(base.cluster.text).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" },
    });
    const volume = (stack: SynthesizedAws, group: string) => {
      const [, template] = referenced(stack.cluster, (groups(stack)[group].launch_template as { id: string }).id);
      return (template.block_device_mappings as { device_name: string; ebs: Block }[])[0];
    };
    expect(volume(base, "gpu-l4")).toEqual({
      device_name: "/dev/xvda",
      ebs: { volume_size: 100, volume_type: "gp3", encrypted: "true", delete_on_termination: "true", iops: 3000, throughput: 250 },
    });
    expect(volume(base, "system").ebs.volume_size).toBe(50);
    expect(volume(production, "gpu-l4").ebs.volume_size).toBe(300);
  });

  it("run with a role that can join the cluster and pull images, nothing more", () => {
    const group = groups(base)["gpu-l4"];
    const [roleId] = referenced(base.cluster, group.node_role_arn);
    const policies = resources(base.cluster, "aws_iam_role_policy_attachment")
      .filter(([, a]) => String(a.role).includes(roleId))
      .map(([, a]) => String(a.policy_arn).replace(/^.*:policy\//, ""));
    expect(policies.sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy"]);
  });
});

describe("add-ons and charts", () => {
  it("installs vpc-cni with NetworkPolicy enforcement, kube-proxy, CoreDNS and the EBS CSI driver with its own role", () => {
    const addons: Record<string, Block> = Object.fromEntries(resources(base.cluster, "aws_eks_addon").map(([, a]) => [a.addon_name, a]));
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
    expect(JSON.parse(String(addons["vpc-cni"].configuration_values))).toEqual({ enableNetworkPolicy: "true" });
    // Each at the default version for the cluster's Kubernetes version, so an EKS upgrade moves them along.
    const versions = base.cluster.data.aws_eks_addon_version;
    for (const [name, addon] of Object.entries(addons)) {
      const [, lookup] = Object.entries(versions).find(
        ([key]) => String(addon.addon_version) === `\${data.aws_eks_addon_version.${key}.version}`,
      )!;
      expect(lookup).toMatchObject({
        addon_name: name,
        most_recent: false,
        kubernetes_version: expect.stringMatching(/^\$\{aws_eks_cluster\..*\.version\}$/),
      });
    }
    expect(base.cluster.text).toHaveResourceWithProperties(EksAddon, {
      addon_name: "aws-ebs-csi-driver",
      service_account_role_arn: expect.stringMatching(/aws_iam_role\./),
    });
    // Deployments need nodes: they wait for the node groups, which wait for pod networking.
    expect(String(addons.coredns.depends_on)).toContain("aws_eks_node_group.");
    const gpuGroup = resources(base.cluster, "aws_eks_node_group")[0][1];
    expect(String(gpuGroup.depends_on)).toContain("aws_eks_addon.network-addons_vpc-cni");
  });

  it("pins the NVIDIA device plugin and AWS Load Balancer Controller charts, in the cluster-services stack", () => {
    expect(base.services.text).toHaveResourceWithProperties(Release, {
      chart: "nvidia-device-plugin",
      repository: "https://nvidia.github.io/k8s-device-plugin",
      version: NVIDIA_DEVICE_PLUGIN_CHART.version,
    });
    expect(base.services.text).toHaveResourceWithProperties(Release, {
      chart: "aws-load-balancer-controller",
      version: LOAD_BALANCER_CONTROLLER_CHART.version,
      namespace: "kube-system",
    });
    for (const [, release] of resources(base.services, "helm_release")) expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(resources(base.cluster, "helm_release")).toEqual([]);
  });

  it("configures the controller without IMDS and with its IRSA role from the cluster stack", () => {
    const [, release] = resources(base.services, "helm_release").find(([, r]) => r.chart === "aws-load-balancer-controller")!;
    const values = JSON.parse((release.values as string[])[0]) as Record<string, unknown>;
    const remote = "data.terraform_remote_state.cross-stack-reference-input-aicockpit-base-cluster.outputs.cross-stack-output-";
    expect(values).toMatchObject({
      clusterName: expect.stringContaining(`${remote}aws_eks_cluster`),
      region: "us-east-1",
      vpcId: expect.stringContaining(`${remote}aws_vpc`),
      enableServiceMutatorWebhook: false,
      serviceAccount: {
        name: "aws-load-balancer-controller",
        annotations: { "eks.amazonaws.com/role-arn": expect.stringContaining(`${remote}aws_iam_role`) },
      },
    });
  });

  it("makes an encrypted gp3 StorageClass the default, so model caches bind", () => {
    expect(base.services.text).toHaveResourceWithProperties(StorageClassV1, {
      metadata: { name: "aicockpit-gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volume_binding_mode: "WaitForFirstConsumer",
    });
  });
});

describe("the TLS certificate", () => {
  it("is a wildcard ACM certificate validated by a record in the Route 53 zone", () => {
    expect(base.cluster.text).toHaveResourceWithProperties(AcmCertificate, { domain_name: "*.ai.example.com", validation_method: "DNS" });
    expect(base.cluster.text).toHaveResourceWithProperties(Route53Record, { zone_id: "Z0123456789TEST", ttl: 300 });
    expect(resources(base.cluster, "aws_acm_certificate_validation")).toHaveLength(1);
  });

  it("is the given one when an ARN is set: nothing is requested", () => {
    const arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab";
    const withArn = synthesizeAwsYaml({
      arn: awsYaml((doc) => {
        delete doc.target.loadBalancer.route53ZoneId;
        doc.target.loadBalancer.certificateArn = arn;
      }),
    }).get("arn")!;
    expect(resources(withArn.cluster, "aws_acm_certificate")).toEqual([]);
    expect(resources(withArn.cluster, "aws_route53_record")).toEqual([]);
    const service = Object.values(withArn.serving.resource.kubernetes_service_v1)[0] as {
      metadata: { annotations: Record<string, string> };
    };
    expect(service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"]).toBe(arn);
    // No zone to write to: the records are the user's, and the output says what they must point to.
    expect(resources(withArn.serving, "aws_route53_record")).toEqual([]);
    expect(Object.keys(withArn.serving.output.load_balancers.value as object)).toEqual(["aicockpit-coder.ai.example.com"]);
  });
});

describe("the environments in environments/", () => {
  it("synthesize their cluster stacks (dev: 1 GPU group, prod: 2 GPU groups over 3 AZs)", () => {
    const synthesized = synthesizeAws(`${__dirname}/../../environments`, ["dev", "prod"]);
    const gpuGroups = (name: string) =>
      resources(synthesized.get(name)!.cluster, "aws_eks_node_group")
        .map(([, g]) => `${String(g.node_group_name)}:${(g.instance_types as string[])[0]}`)
        .filter((g) => g.startsWith("gpu-"));
    expect(gpuGroups("dev")).toEqual(["gpu-l4:g6.2xlarge"]);
    expect(gpuGroups("prod").sort()).toEqual(["gpu-h100:p5.48xlarge", "gpu-l40s:g6e.2xlarge"]);
    expect(resources(synthesized.get("prod")!.cluster, "aws_nat_gateway")).toHaveLength(3);
  });
});

describe("the load balancer controller's policy", () => {
  const statements = () => loadBalancerControllerPolicy("aws");

  it("grants no ALB, WAF, Shield or Cognito action", () => {
    const actions = statements().flatMap((s) => s.actions ?? []);
    expect(actions.filter((a) => /waf|shield|cognito|Rule\b|Rules$|SetWebAcl/i.test(a))).toEqual([]);
  });

  it("creates load balancers, target groups and security group tags only with its cluster tag", () => {
    for (const action of ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]) {
      const granting = statements().filter((s) => s.actions?.includes(action));
      expect(granting.length).toBeGreaterThan(0);
      for (const s of granting)
        expect(s.condition).toContainEqual({ test: "Null", variable: "aws:RequestTag/elbv2.k8s.aws/cluster", values: ["false"] });
    }
  });

  it("changes or deletes only what carries its cluster tag", () => {
    for (const action of [
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes",
      "ec2:DeleteSecurityGroup",
    ]) {
      expect(statements().some((st) => st.actions?.includes(action))).toBe(true);
      for (const s of statements().filter((st) => st.actions?.includes(action))) {
        expect(s.condition).toContainEqual({ test: "Null", variable: "aws:ResourceTag/elbv2.k8s.aws/cluster", values: ["false"] });
      }
    }
  });
});
