/**
 * The files a deploy writes, built from synthesized stacks without a cluster or Terraform:
 * what `terraform output -json` prints for a stack, and what `cdktf deploy --outputs-file`
 * writes for the stacks it deployed. Terraform expressions in output values (a Service's node
 * port or load balancer address, cross-stack references) are replaced by plausible deployed
 * values, consistent with the Services each stack declares.
 */
import fs from "node:fs";
import path from "node:path";

/** The parts of a synthesized `cdk.tf.json` that outputs come from. */
export interface StackJson {
  "//"?: { outputs?: OutputIdMap };
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** cdktf's record of where each output was declared: construct path → output logical id. */
type OutputIdMap = { [constructId: string]: string | OutputIdMap };

/** Terraform's JSON encoding of a type: `"string"`, `["object", { … }]`, … */
type TerraformType = string | [string, unknown];

/** One output as `terraform output -json` prints it. */
export interface TerraformOutputJson {
  sensitive: boolean;
  type: TerraformType;
  value: unknown;
}

/** A Service of a stack as the cluster would have it once deployed. */
export interface DeployedService {
  /** Resource id in the stack (`kubernetes_service_v1.<id>`). */
  id: string;
  /** `metadata.name`. */
  name: string;
  type: string;
  port: number;
  /** The configured node port, else the one Kubernetes assigns (NodePort and LoadBalancer Services). */
  nodePort: number;
  /** Address of the load balancer the cloud provisions for it. */
  loadBalancerHost: string;
}

export interface DeployedStack {
  name: string;
  json: StackJson;
  services: DeployedService[];
  /** What `terraform output -json` prints in this stack's working directory. */
  terraformOutputs: Record<string, TerraformOutputJson>;
}

/** Reads every stack `cdktf synth` wrote into `outdir`, by its manifest. */
export function readSynthesizedStacks(outdir: string): { name: string; json: StackJson }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    json: JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) as StackJson,
  }));
}

/** Deploys a stack on paper: its Services get addresses, its outputs their resolved values. */
export function deployStack(stack: { name: string; json: StackJson }): DeployedStack {
  const services = Object.entries(stack.json.resource?.kubernetes_service_v1 ?? {}).map(([id, resource], index) => {
    const { metadata, spec } = resource as {
      metadata: { name: string };
      spec: { type?: string; port: { port: number; node_port?: number }[] };
    };
    return {
      id,
      name: metadata.name,
      type: spec.type ?? "ClusterIP",
      port: spec.port[0].port,
      nodePort: spec.port[0].node_port ?? 31400 + index,
      loadBalancerHost: `${metadata.name}-0a1b2c3d4e5f${index}.elb.eu-west-1.amazonaws.com`,
    };
  });
  const terraformOutputs: Record<string, TerraformOutputJson> = {};
  for (const [id, output] of Object.entries(stack.json.output ?? {})) {
    const value = resolveValue(output.value, services);
    terraformOutputs[id] = { sensitive: output.sensitive ?? false, type: terraformType(value), value };
  }
  return { name: stack.name, json: stack.json, services, terraformOutputs };
}

/** The text of `terraform output -json` for a stack. */
export function terraformOutputJsonFile(stack: DeployedStack): string {
  return JSON.stringify(stack.terraformOutputs, null, 2);
}

/**
 * The text of the file `cdktf deploy <stacks…> --outputs-file <file>` writes: per stack, its
 * outputs keyed by construct id (nested under the constructs that declared them), values
 * unwrapped, sensitive outputs left out. Mirrors cdktf 0.21.0 (the version pinned here):
 * `getConstructIdsForOutputs` and `saveOutputs` in packages/@cdktf/cli-core/src/lib/output.ts,
 * and `outputsByConstructId` merging the deployed stacks in cdktf-project.ts
 * (github.com/hashicorp/terraform-cdk; read in node_modules/@cdktf/cli-core on 2026-11-26).
 * Not imported from there: loading @cdktf/commons runs the terraform binary.
 */
export function cdktfOutputsFile(stacks: readonly DeployedStack[]): string {
  const byConstructId = stacks.reduce<Record<string, unknown>>(
    (all, stack) => ({ ...all, ...constructIdsForOutputs(stack.json, stack.terraformOutputs) }),
    {},
  );
  return JSON.stringify(unpackOutputs(byConstructId), null, 2);
}

function constructIdsForOutputs(json: StackJson, outputs: Record<string, TerraformOutputJson>): Record<string, unknown> {
  const mapping = json["//"]?.outputs;
  if (mapping === undefined) return outputs;
  const map = (ids: OutputIdMap): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, id] of Object.entries(ids)) {
      if (typeof id === "string") out[key] = outputs[id];
      else {
        const nested = map(id);
        if (!isEmpty(nested)) out[key] = nested;
      }
    }
    return out;
  };
  return map(mapping);
}

function isEmpty(value: unknown): boolean {
  if (typeof value !== "object") return false;
  const entries = Object.values(value as object);
  return entries.length === 0 || entries.every((v) => v === undefined || v === null || isEmpty(v));
}

function isTerraformOutput(value: unknown): value is TerraformOutputJson {
  const output = value as TerraformOutputJson;
  return (
    typeof output === "object" && typeof output.sensitive === "boolean" && (typeof output.type === "string" || Array.isArray(output.type))
  );
}

/** Values unwrapped; a sensitive output becomes `undefined`, which JSON.stringify leaves out. */
function unpackOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(outputs)) {
    out[key] = isTerraformOutput(entry) ? (entry.sensitive ? undefined : entry.value) : unpackOutputs(entry as Record<string, unknown>);
  }
  return out;
}

/** The type `terraform output -json` reports for a value (Terraform's JSON type encoding). */
function terraformType(value: unknown): TerraformType {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(terraformType)];
  if (typeof value === "object" && value !== null) {
    return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terraformType(v)]))];
  }
  return "dynamic";
}

function resolveValue(value: unknown, services: readonly DeployedService[]): unknown {
  if (typeof value === "string")
    return value.replace(/\$\{([^{}]*)\}/g, (_, expression: string) => resolveExpression(expression, services));
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, services));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, services)]));
  }
  return value;
}

const SERVICE_ATTRIBUTE =
  /^kubernetes_service_v1\.([\w-]+)\.(spec\[0\]\.port\[0\]\.node_port|status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.(?:hostname|ip))$/;

/** What an expression evaluates to once deployed; an expression not known here fails the test. */
function resolveExpression(expression: string, services: readonly DeployedService[]): string {
  const coalesce = /^coalesce\((.*)\)$/.exec(expression);
  if (coalesce) {
    const values = coalesce[1].split(",").map((argument) => resolveExpression(argument.trim(), services));
    return values.find((v) => v !== "") ?? "";
  }
  const attribute = SERVICE_ATTRIBUTE.exec(expression);
  if (attribute) {
    const service = services.find((s) => s.id === attribute[1]);
    if (service === undefined) throw new Error(`\${${expression}} references a Service the stack does not declare`);
    if (attribute[2].endsWith("node_port")) return String(service.nodePort);
    // AWS and most clouds report a host name for a load balancer, not an address.
    return attribute[2].endsWith("hostname") ? service.loadBalancerHost : "";
  }
  // Cross-stack references the aws cluster stack exports to its serving stack.
  if (/^aws_eks_cluster\.[\w-]+\.endpoint$/.test(expression))
    return "https://0A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.eu-west-1.eks.amazonaws.com";
  if (/^aws_eks_cluster\.[\w-]+\.name$/.test(expression)) return "aicockpit-cluster";
  if (/^aws_acm_certificate_validation\.[\w-]+\.certificate_arn$/.test(expression)) {
    return "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
  }
  if (expression === "local.cluster_ca_certificate") return "-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n";
  if (/^aws_iam_role\.[\w-]+\.arn$/.test(expression)) return "arn:aws:iam::123456789012:role/aicockpit-lb-controller-0123";
  if (/^aws_vpc\.[\w-]+\.id$/.test(expression)) return "vpc-0a1b2c3d4e5f60718";
  if (/^aws_subnet\.[\w-]+\.id$/.test(expression)) return "subnet-0a1b2c3d4e5f60718";
  throw new Error(`no deployed value known for the Terraform expression \${${expression}}: teach test/contract/deploy-outputs.ts`);
}
