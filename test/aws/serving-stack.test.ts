/** The serving stack of an AWS environment: how it reaches the cluster, and how the models are exposed. */
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { AWS_ENVIRONMENT, awsYaml } from "./fixtures";
import { resources, synthesizeAwsYaml, type Block, type SynthesizedAws } from "./synth-aws";

let aws: SynthesizedAws;

beforeAll(() => {
  aws = synthesizeAwsYaml({
    t: awsYaml((doc) => {
      doc.target.loadBalancer.scheme = "internet-facing";
      doc.target.loadBalancer.allowedCidrs = ["198.51.100.0/24", "203.0.113.7/32"];
      doc.models.push({ servedName: "chat-8b", model: "llama-3.1-8b-instruct", role: "chat", pool: "l4", maxModelLen: 8192 });
      doc.gpuPools[0].instanceType = "g6.12xlarge";
    }),
  }).get("t")!;
});

const REMOTE_STATE = "data.terraform_remote_state.cross-stack-reference-input-aicockpit-t-cluster.outputs.";

describe("reaching the cluster", () => {
  it("is deployed after the cluster and cluster-services stacks", () => {
    expect([...aws.dependencies["aicockpit-t"]].sort()).toEqual(["aicockpit-t-cluster", "aicockpit-t-services"]);
    expect(aws.dependencies["aicockpit-t-services"]).toEqual(["aicockpit-t-cluster"]);
    expect(aws.dependencies["aicockpit-t-cluster"]).toEqual([]);
    expect(Object.keys(aws.serving.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-aicockpit-t-cluster"]);
    expect(Object.keys(aws.services.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-aicockpit-t-cluster"]);
  });

  it("takes the endpoint and CA from the cluster stack and a token from `aws eks get-token`", () => {
    const [kubernetes] = aws.serving.provider.kubernetes as {
      host: string;
      cluster_ca_certificate: string;
      exec: { command: string; args: string[]; api_version: string }[];
    }[];
    expect(kubernetes.host).toMatch(
      new RegExp(`^\\$\\{${REMOTE_STATE.replace(/\./g, "\\.")}cross-stack-output-aws_eks_cluster.*endpoint\\}$`),
    );
    expect(kubernetes.cluster_ca_certificate).toBe(`\${base64decode(${REMOTE_STATE}cross-stack-output-localcluster_ca_certificate)}`);
    expect(kubernetes.exec).toEqual([
      {
        api_version: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", expect.stringContaining(REMOTE_STATE), "--region", "us-east-1", "--output", "json"],
      },
    ]);
    expect(kubernetes).not.toHaveProperty("token");
    expect(kubernetes).not.toHaveProperty("config_path");
    const [helm] = aws.serving.provider.helm as { kubernetes: { host: string; exec: unknown } }[];
    expect(helm.kubernetes.host).toBe(kubernetes.host);
    expect(helm.kubernetes.exec).toEqual(kubernetes.exec[0]);
  });

  it("writes DNS records in the target's region with the environment's tags", () => {
    expect(aws.serving.provider.aws).toEqual([
      { region: "us-east-1", default_tags: [{ tags: { "aicockpit:environment": "t", "aicockpit:managed-by": "cdktf" } }] },
    ]);
  });
});

describe("exposing the models", () => {
  const services = () =>
    resources(aws.serving, "kubernetes_service_v1").map(
      ([, s]) => s as { metadata: { name: string; annotations: Record<string, string> }; spec: Block },
    );

  it("gives each model an NLB with TLS on 443 from the certificate, ip targets and the configured scheme", () => {
    expect(services()).toHaveLength(2);
    for (const service of services()) {
      expect(service.spec).toMatchObject({ type: "LoadBalancer", port: [{ name: "api", port: 443, target_port: "api" }] });
      expect(service.metadata.annotations).toEqual({
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-subnets": expect.stringMatching(
          /^\$\{data\.terraform_remote_state\.[^}]*cross-stack-output-aws_subnetnetwork_public-0_\w+id\},\$\{data\.terraform_remote_state\.[^}]*cross-stack-output-aws_subnetnetwork_public-1_\w+id\}$/,
        ),
        "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": expect.stringMatching(
          /^\$\{data\.terraform_remote_state\..*cross-stack-output-aws_acm_certificate_validation.*certificate_arn\}$/,
        ),
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443",
        "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "service.beta.kubernetes.io/aws-load-balancer-backend-protocol": "tcp",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/health",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "traffic-port",
      });
    }
  });

  it("admits only the allow-list at the NLB", () => {
    expect(aws.serving.text).toHaveResourceWithProperties(ServiceV1, {
      spec: expect.objectContaining({ load_balancer_source_ranges: ["198.51.100.0/24", "203.0.113.7/32"] }),
    });
    for (const service of services()) expect(service.spec.load_balancer_source_ranges).toEqual(["198.51.100.0/24", "203.0.113.7/32"]);
  });

  it("lets only the NLBs, from their own subnets, reach the pods' gateway port (where only /v1 and /health pass)", () => {
    const ingressOf = (stack: SynthesizedAws) =>
      (
        resources(stack.serving, "kubernetes_network_policy_v1").find(
          ([, p]) => (p.metadata as { name: string }).name === "aicockpit-allow-api",
        )![1].spec as { ingress: unknown }
      ).ingress;
    // internet-facing: the public subnets, where only NAT gateways and NLBs live; not the VPC, where every pod lives.
    expect(ingressOf(aws)).toEqual([
      { from: [{ ip_block: { cidr: "10.0.0.0/20" } }, { ip_block: { cidr: "10.0.16.0/20" } }], ports: [{ port: "8080", protocol: "TCP" }] },
    ]);
    // internal: the internal NLBs' own subnets, named on the Service so the NLB lands there.
    const internal = synthesizeAwsYaml({ i: AWS_ENVIRONMENT }).get("i")!;
    expect(ingressOf(internal)).toEqual([
      {
        from: [{ ip_block: { cidr: "10.0.48.0/22" } }, { ip_block: { cidr: "10.0.52.0/22" } }],
        ports: [{ port: "8080", protocol: "TCP" }],
      },
    ]);
    const [, service] = resources(internal.serving, "kubernetes_service_v1")[0];
    expect(
      (service.metadata as { annotations: Record<string, string> }).annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
    ).toMatch(/internal-lb-0_\w+id\},\$\{.*internal-lb-1_\w+id\}$/);
    const gateway = Object.values(aws.serving.resource.kubernetes_config_map_v1 ?? {}).map(
      (c) => (c.data as Record<string, string>)["default.conf"],
    );
    expect(gateway[0]).toContain("location /v1/");
    expect(gateway[0]).toContain("return 404;");
  });

  it("names each NLB in the Route 53 zone", () => {
    for (const host of ["aicockpit-coder.ai.example.com", "aicockpit-chat-8b.ai.example.com"]) {
      expect(aws.serving.text).toHaveResourceWithProperties(Route53Record, {
        zone_id: "Z0123456789TEST",
        name: host,
        type: "CNAME",
        records: [expect.stringMatching(/^\$\{kubernetes_service_v1\..*\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname\}$/)],
      });
    }
  });

  it("publishes the HTTPS base URL in the endpoint outputs", () => {
    expect(aws.serving.output.endpoint_coder.value).toMatchObject({ base_url: "https://aicockpit-coder.ai.example.com/v1", role: "both" });
    expect(aws.serving.output.endpoint_chat_8b.value).toMatchObject({
      base_url: "https://aicockpit-chat-8b.ai.example.com/v1",
      role: "chat",
    });
    expect(Object.keys(aws.serving.output.load_balancers.value as object).sort()).toEqual([
      "aicockpit-chat-8b.ai.example.com",
      "aicockpit-coder.ai.example.com",
    ]);
  });

  it("keeps an internal scheme internal", () => {
    const internal = synthesizeAwsYaml({ i: AWS_ENVIRONMENT }).get("i")!;
    const [, service] = resources(internal.serving, "kubernetes_service_v1")[0];
    expect(
      (service.metadata as { annotations: Record<string, string> }).annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
    ).toBe("internal");
  });
});
