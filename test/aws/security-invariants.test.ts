/**
 * Security invariants of every aws environment in environments/, checked on the Terraform JSON
 * of its three stacks as `npm run synth` writes it.
 */
import { listEnvironments, loadEnvironment, ENVIRONMENTS_DIR } from "../../core/load-environment";
import type { AwsTarget } from "../../core/schema/target";
import { referenced, resources, synthesizeAws, type Block, type StackJson, type SynthesizedAws } from "./synth-aws";

const awsEnvironments = listEnvironments().filter((name) => loadEnvironment(name).config.target.kind === "aws");
let synthesized: Map<string, SynthesizedAws>;

beforeAll(() => {
  synthesized = synthesizeAws(ENVIRONMENTS_DIR, awsEnvironments);
});

it("covers the aws environments", () => {
  expect(awsEnvironments).toEqual(expect.arrayContaining(["dev", "prod"]));
});

const EVERYWHERE = ["0.0.0.0/0", "::/0"];

describe.each(awsEnvironments)("aws environment %s", (name) => {
  const env = () => synthesized.get(name)!;
  const target = () => env().environment.config.target as AwsTarget;
  const cluster = () => env().cluster;
  const nodeGroups = () => resources(cluster(), "aws_eks_node_group").map(([, group]) => group);

  it("runs GPU and system nodes only in private subnets (no public IPs, default route through NAT)", () => {
    expect(nodeGroups().map((g) => g.node_group_name)).toContain("system");
    expect(nodeGroups().length).toBe(1 + env().environment.config.gpuPools.length);
    const associations = resources(cluster(), "aws_route_table_association").map(([, a]) => a);
    const routes = resources(cluster(), "aws_route").map(([, r]) => r);
    for (const group of nodeGroups()) {
      const subnetIds = group.subnet_ids as string[];
      expect(subnetIds.length).toBeGreaterThan(0);
      for (const subnetId of subnetIds) {
        const [subnetKey, subnet] = referenced(cluster(), subnetId);
        expect(subnet.map_public_ip_on_launch).toBe(false);
        const association = associations.find((a) => String(a.subnet_id).includes(`${subnetKey}.`));
        expect(association).toBeDefined();
        const [tableKey] = referenced(cluster(), association!.route_table_id);
        const defaultRoutes = routes.filter(
          (r) => String(r.route_table_id).includes(`${tableKey}.`) && r.destination_cidr_block === "0.0.0.0/0",
        );
        expect(defaultRoutes).toHaveLength(1);
        expect(String(defaultRoutes[0].nat_gateway_id)).toMatch(/^\$\{aws_nat_gateway\./);
        expect(defaultRoutes[0].gateway_id).toBeUndefined();
      }
    }
  });

  it("requires IMDSv2 on every node, out of pods' reach", () => {
    for (const group of nodeGroups()) {
      const [, template] = referenced(cluster(), (group.launch_template as { id: string }).id);
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    }
  });

  it("encrypts Kubernetes Secrets with a rotating customer-managed KMS key", () => {
    const [, eks] = resources(cluster(), "aws_eks_cluster")[0];
    const encryption = eks.encryption_config as { resources: string[]; provider: { key_arn: string } };
    expect(encryption.resources).toContain("secrets");
    const [keyRef, key] = referenced(cluster(), encryption.provider.key_arn);
    expect(keyRef).toMatch(/^aws_kms_key\./);
    expect(key.enable_key_rotation).toBe(true);
  });

  it("keeps control-plane logs", () => {
    const [, eks] = resources(cluster(), "aws_eks_cluster")[0];
    expect(eks.enabled_cluster_log_types).toEqual(expect.arrayContaining(["api", "audit", "authenticator"]));
  });

  it("encrypts every EBS volume: node root volumes and the model-cache StorageClass", () => {
    const templates = resources(cluster(), "aws_launch_template");
    expect(templates.length).toBe(nodeGroups().length);
    for (const [, template] of templates) {
      const mappings = template.block_device_mappings as { ebs: Block }[];
      expect(mappings.length).toBeGreaterThan(0);
      for (const mapping of mappings) expect(mapping.ebs.encrypted).toBe("true");
    }
    const classes = [env().cluster, env().services, env().serving].flatMap((stack) => resources(stack, "kubernetes_storage_class_v1"));
    const ebsClasses = classes.filter(([, c]) => c.storage_provisioner === "ebs.csi.aws.com");
    expect(ebsClasses.length).toBeGreaterThan(0);
    for (const [, storageClass] of ebsClasses) expect((storageClass.parameters as Record<string, string>).encrypted).toBe("true");
  });

  it("opens no security group to everyone; only a listener the file makes public may take 0.0.0.0/0", () => {
    for (const stack of [cluster(), env().services, env().serving]) {
      for (const [, rule] of ingressRules(stack)) for (const cidr of rule) expect(EVERYWHERE).not.toContain(cidr);
      for (const [, group] of resources(stack, "aws_default_security_group")) expect(group.ingress ?? []).toEqual([]);
    }
    const lb = target().loadBalancer;
    for (const [, service] of resources(env().serving, "kubernetes_service_v1")) {
      const spec = service.spec as { type: string; load_balancer_source_ranges?: string[] };
      if (spec.type !== "LoadBalancer") continue;
      expect(spec.load_balancer_source_ranges).toEqual(lb.allowedCidrs);
      const scheme = (service.metadata as { annotations: Record<string, string> }).annotations[
        "service.beta.kubernetes.io/aws-load-balancer-scheme"
      ];
      expect(scheme).toBe(lb.scheme);
      if (spec.load_balancer_source_ranges!.some((cidr) => EVERYWHERE.includes(cidr))) expect(scheme).toBe("internet-facing");
    }
  });

  it("keeps the API endpoint private unless the file asks for public access, and then restricts it to the allow-list", () => {
    const [, eks] = resources(cluster(), "aws_eks_cluster")[0];
    const vpc = eks.vpc_config as { endpoint_private_access: boolean; endpoint_public_access: boolean; public_access_cidrs?: string[] };
    expect(vpc.endpoint_private_access).toBe(true);
    expect(vpc.endpoint_public_access).toBe(target().apiAllowedCidrs !== undefined);
    expect(vpc.public_access_cidrs).toEqual(target().apiAllowedCidrs);
    for (const cidr of vpc.public_access_cidrs ?? []) expect(EVERYWHERE).not.toContain(cidr);
  });

  it("encrypts the control-plane logs with a customer-managed key", () => {
    const [, logs] = resources(cluster(), "aws_cloudwatch_log_group")[0];
    const [keyRef, key] = referenced(cluster(), logs.kms_key_id);
    expect(keyRef).toMatch(/^aws_kms_key\./);
    expect(key.enable_key_rotation).toBe(true);
  });

  it("puts no secret value in any output, and no token in any provider", () => {
    for (const stack of [cluster(), env().services, env().serving]) {
      const outputs = JSON.stringify(stack.output);
      expect(outputs).not.toMatch(/random_password|kubernetes_secret|aws_eks_cluster_auth|\.token\b|private_key|password/);
      expect(Object.keys(stack.data)).not.toContain("aws_eks_cluster_auth");
      for (const providers of [stack.provider.kubernetes ?? [], stack.provider.helm ?? []]) {
        for (const provider of providers) expect(JSON.stringify(provider)).not.toMatch(/"token"|"password"|client_key/);
      }
    }
  });
});

/** CIDRs admitted by each ingress rule of a stack, whatever resource type declares it. */
function ingressRules(stack: StackJson): [string, string[]][] {
  const inline = resources(stack, "aws_security_group").flatMap(([key, group]) =>
    ((group.ingress as Block[] | undefined) ?? []).map((rule): [string, string[]] => [
      key,
      [...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])],
    ]),
  );
  const rules = resources(stack, "aws_security_group_rule")
    .filter(([, rule]) => rule.type === "ingress")
    .map(([key, rule]): [string, string[]] => [
      key,
      [...((rule.cidr_blocks as string[]) ?? []), ...((rule.ipv6_cidr_blocks as string[]) ?? [])],
    ]);
  const vpcRules = resources(stack, "aws_vpc_security_group_ingress_rule").map(([key, rule]): [string, string[]] => [
    key,
    [rule.cidr_ipv4, rule.cidr_ipv6].filter((cidr): cidr is string => typeof cidr === "string"),
  ]);
  return [...inline, ...rules, ...vpcRules];
}
