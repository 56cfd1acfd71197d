import { z } from "zod";
import { admitsEveryone, parseCidr, parsedBlocks } from "../cidr";
import { AWS_SYSTEM_INSTANCE_IDS } from "../catalog/aws-instances";
import { EKS_VERSIONS, EKS_VERSIONS_CHECKED_ON, findEksVersion } from "../catalog/eks-versions";
import { acknowledgePublicAccess, cidrList, ipv4Address } from "./network";

/** An existing cluster reached with a kubeconfig (on-prem, kind, k3s, any managed cluster). */
export const kubernetesTargetSchema = z.strictObject({
  kind: z
    .literal("kubernetes")
    .meta({ description: "An existing cluster reached with a kubeconfig (on-prem, kind, k3s, any managed cluster)." }),
  kubeconfig: z.string().min(1).default("~/.kube/config").meta({
    description: "Path to the kubeconfig; `~` is expanded at deploy time by the Kubernetes provider.",
  }),
  context: z
    .string({ error: "set the kubeconfig context to deploy to (see `kubectl config get-contexts`)" })
    .min(1)
    .meta({
      description:
        "kubeconfig context to deploy to (`kubectl config get-contexts` lists them). Required: deploying to whatever context is current is how clusters get clobbered.",
      examples: ["my-cluster"],
    }),
});

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ZONE = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
const awsCidrList = (what: string) =>
  cidrList(`not an IPv4 CIDR; write CIDRs like 203.0.113.0/24 (${what})`, `list at least one CIDR (${what})`);

/**
 * The NLB in front of the models: TLS on 443 with an ACM certificate, reachable only from
 * `allowedCidrs`. The loader checks that the certificate has a source (core/aws/check-environment.ts).
 */
const loadBalancerSchema = z.strictObject({
  scheme: z.enum(["internal", "internet-facing"]).default("internal").meta({
    description:
      "`internal`: reachable from the VPC and what is routed into it (VPN, peering, Direct Connect). `internet-facing`: a public address, still filtered by `allowedCidrs`.",
  }),
  allowedCidrs: awsCidrList("clients allowed to reach the models").meta({
    description:
      "Client CIDRs the NLB's security group admits on 443; nobody else gets past it. A list that admits every address needs `acknowledgePublicAccess`.",
    examples: [["10.0.0.0/8"]],
  }),
  acknowledgePublicAccess,
  domain: z
    .string()
    .max(189, { error: "the domain leaves no room for the models' names (at most 189 characters)" })
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { error: "expected a DNS domain such as ai.example.com" })
    .meta({ description: "Models are served at `https://aicockpit-<model>.<domain>/v1`.", examples: ["ai.example.com"] }),
  route53ZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: "expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .optional()
    .meta({
      description:
        "Route 53 hosted zone that holds `domain`: the kit writes the models' DNS records and, unless `certificateArn` is given, requests a DNS-validated certificate for `*.<domain>`. Set this, `certificateArn`, or both.",
      examples: ["Z0123456789ABCDEFGHIJ"],
    }),
  certificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
      error: "expected an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/…",
    })
    .optional()
    .meta({
      description:
        'An existing ACM certificate in the target region covering `*.<domain>`. Without `route53ZoneId` you create the models\' DNS records yourself (docs/deploy-aws.md, "DNS without a zone").',
      examples: ["arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"],
    }),
});

/** Amazon EKS, built by the kit (VPC, cluster, GPU node groups). */
export const awsTargetSchema = z
  .strictObject({
    kind: z
      .literal("aws")
      .meta({ description: "Amazon EKS built by the kit: VPC, cluster, node groups, load balancers (docs/deploy-aws.md)." }),
    region: z
      .string({ error: "set the AWS region, e.g. region: us-east-1" })
      .regex(REGION, { error: "expected an AWS region such as us-east-1" })
      .meta({ description: "AWS region of every resource the kit creates.", examples: ["us-east-1"] }),
    production: z.boolean().default(false).meta({
      description: "Production: nodes in at least two AZs and one NAT gateway per AZ (otherwise one NAT gateway for all).",
    }),
    availabilityZones: z
      .array(z.string().regex(ZONE, { error: "expected an availability zone name such as us-east-1a" }))
      .min(1)
      .max(3, { error: "at most 3 availability zones; list the ones with GPU capacity for your instance types" })
      .superRefine((zones, ctx) => {
        zones.forEach((zone, index) => {
          const first = zones.indexOf(zone);
          if (first !== index) {
            ctx.addIssue({
              code: "custom",
              path: [index],
              message: `${zone} is listed twice (also at index ${first})`,
              params: { fix: "list each availability zone once" },
            });
          }
        });
      })
      .optional()
      .meta({
        description:
          "AZs for subnets and nodes, all in `region`; a production environment lists at least two. Absent: the region's first two available AZs, looked up at deploy time.",
        examples: [["us-east-1a", "us-east-1b"]],
      }),
    eksVersion: z
      .string({ error: 'pin the EKS Kubernetes version, e.g. eksVersion: "1.33"' })
      .regex(/^1\.\d{2}$/, { error: 'expected an EKS version such as "1.33" (quote it in YAML)' })
      .refine((version) => findEksVersion(version) !== undefined, {
        error: (issue) =>
          `EKS does not offer Kubernetes ${String(issue.input)} (versions offered on ${EKS_VERSIONS_CHECKED_ON}: ${EKS_VERSIONS.map((v) => v.version).join(", ")}); pin one of them`,
      })
      .meta({
        description: `Kubernetes version of the EKS control plane, pinned so an upgrade is a reviewed change; one EKS offers (${EKS_VERSIONS.map((v) => v.version).join(", ")} on ${EKS_VERSIONS_CHECKED_ON}, core/catalog/eks-versions.ts). Quote it in YAML: unquoted, 1.30 is the number 1.3.`,
        examples: ["1.34"],
      }),
    vpcCidr: z
      .cidrv4({ error: "not an IPv4 CIDR; write it like 10.0.0.0/16" })
      .default("10.0.0.0/16")
      .refine(
        (cidr) => {
          const prefix = Number(cidr.split("/")[1]);
          return prefix >= 16 && prefix <= 20;
        },
        { error: "use a /16 to /20 VPC CIDR: pods take their IPs from the private subnets" },
      )
      .superRefine((cidr, ctx) => {
        const parsed = parseCidr(cidr);
        if (!parsed.ok && z.cidrv4().safeParse(cidr).success)
          ctx.addIssue({ code: "custom", message: parsed.problem, params: { fix: "write the block's first address, e.g. 10.0.0.0/16" } });
      })
      .meta({ description: "IPv4 CIDR of the VPC, a /16 to /20: pods take their IPs from the private subnets." }),
    apiAllowedCidrs: awsCidrList("where you run cdktf and kubectl from")
      // As a set: 0.0.0.0/1 + 128.0.0.0/1, or 1.2.3.4/0, admit everyone as surely as 0.0.0.0/0.
      .refine((cidrs) => !admitsEveryone(parsedBlocks(cidrs)), {
        error:
          "the Kubernetes API must not be open to 0.0.0.0/0; these CIDRs together admit every address: list your office, VPN or CI egress CIDRs",
      })
      .optional()
      .meta({
        description:
          "Asks for a public Kubernetes API endpoint, reachable from these CIDRs only: where you run cdktf and kubectl from. Absent: the endpoint is private, reachable from the VPC and what is routed into it (VPN, Direct Connect), and cdktf must run from there. A list that admits every address (`0.0.0.0/0`, or blocks that add up to it) is refused.",
        examples: [["203.0.113.0/24"]],
      }),
    systemNodes: z
      .strictObject({
        instanceType: z
          .enum(AWS_SYSTEM_INSTANCE_IDS as [string, ...string[]], {
            error: `use one of ${AWS_SYSTEM_INSTANCE_IDS.join(", ")}`,
          })
          .default("m6i.large")
          .meta({ description: "EC2 instance type of the system node group." }),
        nodes: z.number().int().min(1).max(10).default(2).meta({ description: "Nodes in the system node group." }),
      })
      .prefault({})
      .meta({ description: "CPU nodes for CoreDNS, the load balancer controller and monitoring; GPU nodes are tainted for vLLM." }),
    loadBalancer: loadBalancerSchema.meta({
      description:
        "The NLB in front of the models: TLS on 443 with an ACM certificate, reachable only from `allowedCidrs`. Needs `route53ZoneId` or `certificateArn`.",
    }),
  })
  .superRefine((target, ctx) => {
    const zones = target.availabilityZones;
    if (target.production && zones !== undefined && zones.length < 2) {
      ctx.addIssue({
        code: "custom",
        path: ["availabilityZones"],
        message: `a production environment needs at least two availability zones, ${zones.length} listed; list two or more AZs of ${target.region} (or remove the list to use the first two)`,
      });
    }
    zones?.forEach((zone, index) => {
      if (!zone.startsWith(target.region)) {
        ctx.addIssue({
          code: "custom",
          path: ["availabilityZones", index],
          message: `${zone} is not in ${target.region}; list zones of ${target.region}, e.g. ${target.region}a`,
        });
      }
    });
    const arn = target.loadBalancer.certificateArn;
    if (arn !== undefined && arn.split(":")[3] !== target.region) {
      ctx.addIssue({
        code: "custom",
        path: ["loadBalancer", "certificateArn"],
        message: `the certificate is in ${arn.split(":")[3]}, the NLB in ${target.region}; import or request the certificate in ${target.region}`,
      });
    }
  });

/** The Docker engine's address: its local socket, or another machine's engine over SSH. */
const DOCKER_HOST = /^(unix:\/\/\/[A-Za-z0-9._/-]+|ssh:\/\/[a-z_][a-z0-9_.-]*@[A-Za-z0-9.-]+(:\d{1,5})?)$/;
/** An absolute path on the Docker host, without `..`: it is bind-mounted into the containers. */
const HOST_PATH = /^\/(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]+$/;

const hostPort = (what: string, port: number) =>
  z
    .number()
    .int()
    .min(1024, { error: "use a port from 1024 to 65535: lower ports need root on the host" })
    .max(65535)
    .default(port)
    .meta({ description: `Host port ${what} is published on.`, examples: [port] });

/** One GPU machine running Docker with the NVIDIA Container Toolkit (docs/deploy-docker.md). */
export const dockerTargetSchema = z.strictObject({
  kind: z
    .literal("docker")
    .meta({ description: "One GPU machine running Docker and the NVIDIA Container Toolkit (docs/deploy-docker.md)." }),
  host: z
    .string()
    .regex(DOCKER_HOST, { error: "expected unix:///var/run/docker.sock or ssh://user@host (the Docker provider reaches no other engine)" })
    .default("unix:///var/run/docker.sock")
    .meta({
      description:
        "The Docker engine to deploy to: the local socket (`unix://…`) or another machine's engine over SSH (`ssh://user@host`).",
      examples: ["unix:///var/run/docker.sock", "ssh://deploy@gpu-box.lan"],
    }),
  apiKeyFile: z
    .string({ error: "set apiKeyFile: the path, on the Docker host, of a file holding the API key (docs/deploy-docker.md)" })
    .regex(HOST_PATH, { error: "expected an absolute path on the Docker host without `..`, e.g. /etc/aicockpit/api-key" })
    .meta({
      description:
        "Absolute path, on the Docker host, of a file holding the API key clients send. Mounted read-only into each vLLM container, so the key never enters Terraform state; only the path does.",
      examples: ["/etc/aicockpit/api-key"],
    }),
  bindAddress: ipv4Address.default("127.0.0.1").meta({
    description:
      "Host address the gateway and monitoring ports are published on. Default: loopback only. An address other than loopback serves plain HTTP to the network and needs `acknowledgePublicAccess`.",
    examples: ["127.0.0.1"],
  }),
  acknowledgePublicAccess,
  ports: z
    .strictObject({
      gateway: hostPort("the API gateway (the models' only way in)", 8080),
      prometheus: hostPort("Prometheus", 9090),
      alertmanager: hostPort("Alertmanager", 9093),
      grafana: hostPort("Grafana", 3000),
    })
    .prefault({})
    .superRefine((ports, ctx) => {
      const seen = new Map<number, string>();
      for (const [name, port] of Object.entries(ports)) {
        const first = seen.get(port);
        if (first !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `port ${port} is also ports.${first}: two containers cannot publish one host port`,
            params: { fix: `give ports.${name} a port of its own` },
          });
        else seen.set(port, name);
      }
    })
    .meta({ description: "Host ports the kit publishes, each on `bindAddress`; nothing else is published." }),
});

export const targetSchema = z.discriminatedUnion("kind", [kubernetesTargetSchema, awsTargetSchema, dockerTargetSchema], {
  error: "target.kind must be `kubernetes` (existing cluster), `aws` (EKS built by the kit) or `docker` (one GPU machine)",
});

export type KubernetesTarget = z.infer<typeof kubernetesTargetSchema>;
export type AwsTarget = z.infer<typeof awsTargetSchema>;
export type DockerTarget = z.infer<typeof dockerTargetSchema>;
export type Target = z.infer<typeof targetSchema>;
