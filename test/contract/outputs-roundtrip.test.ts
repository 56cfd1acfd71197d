/**
 * Kit → outputs file → extension, end to end: every environment is synthesized as `npm run synth`
 * does, the files a deploy writes are built from the synthesized stacks (both the
 * `cdktf deploy --outputs-file` shape and `terraform output -json`), and the extension's own
 * parser reads them. Every model must arrive with the endpoint that reaches its own Service, and
 * the role, FIM family and context length its environment planned.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { deployStackNames } from "../../core/aws/names";
import { apiKeyFileReference, endpointOutputId } from "../../core/contract/outputs";
import type { Environment, PlannedModel } from "../../core/load-environment";
import { apiKeySecretName, modelResourceName, stackName } from "../../core/names";
import { formatOutputsProblem, parseDeploymentOutputs, type Endpoint } from "../../extension/src/core/outputs";
import { resolveEnvironmentNames, synthesize } from "../../stacks/synthesize";
import { BASE_ENVIRONMENT } from "../helpers/synth";
import { cdktfOutputsFile, deployStack, readSynthesizedStacks, terraformOutputJsonFile, type DeployedStack } from "./deploy-outputs";

interface Deployment {
  environments: Environment[];
  stacks: DeployedStack[];
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Synthesizes the environments into a fresh folder, then deploys every stack on paper. */
function synthesizeAndDeploy(names: string[], environmentsDir?: string): Deployment {
  const outdir = tempDir("aicockpit-roundtrip-");
  const result = synthesize(names, outdir, environmentsDir);
  expect(result.failed).toEqual([]);
  return { environments: result.synthesized, stacks: readSynthesizedStacks(outdir).map(deployStack) };
}

function mustParse(text: string, file: string) {
  const result = parseDeploymentOutputs(text, file);
  if (!result.ok) throw new Error(result.errors.map(formatOutputsProblem).join("\n"));
  return result;
}

function stackOf(deployment: Deployment, name: string): DeployedStack {
  const stack = deployment.stacks.find((s) => s.name === name);
  if (stack === undefined) throw new Error(`stack ${name} was not synthesized`);
  return stack;
}

/**
 * The URL that reaches the model's own Service once deployed, worked out from the synthesized
 * resources and the environment (not from the kit's URL code, so a URL naming another model's
 * port or host is caught).
 */
function urlReachingModel(environment: Environment, model: PlannedModel, serving: DeployedStack): string {
  if (environment.kind === "docker") return dockerUrlReachingModel(model, serving);
  const service = serving.services.find((s) => s.name === modelResourceName(model.config.servedName));
  if (service === undefined) throw new Error(`no Service for ${model.config.servedName} in ${serving.name}`);
  const { config } = environment;
  if (config.target.kind === "aws") {
    // TLS on 443 at the model's DNS name, which is a CNAME to its own NLB (the load_balancers output).
    const cnames = serving.terraformOutputs.load_balancers.value as Record<string, string>;
    const host = Object.keys(cnames).find((name) => cnames[name] === service.loadBalancerHost);
    return `https://${host}${service.port === 443 ? "" : `:${service.port}`}/v1`;
  }
  switch (config.exposure.type) {
    case "ClusterIP":
      return `http://${service.name}.${config.namespace}.svc.cluster.local:${service.port}/v1`;
    case "NodePort":
      return `http://${config.exposure.host}:${service.nodePort}/v1`;
    case "LoadBalancer":
      return `http://${service.loadBalancerHost}:${service.port}/v1`;
    case "Ingress": {
      type IngressRule = { host: string; http: { path: { path: string; backend: { service: { name: string } } }[] } };
      const ingresses = Object.values(serving.json.resource?.kubernetes_ingress_v1 ?? {}) as { spec: { rule: IngressRule[] } }[];
      const rule = ingresses.flatMap((i) => i.spec.rule).find((r) => r.http.path.some((p) => p.backend.service.name === service.name));
      const route = rule?.http.path.find((p) => p.backend.service.name === service.name);
      return `https://${rule?.host}${route?.path}`;
    }
  }
}

/** Docker: the gateway's published address and the nginx location that proxies to the model's container. */
function dockerUrlReachingModel(model: PlannedModel, serving: DeployedStack): string {
  type Container = {
    name: string;
    ports?: { ip: string; external: number }[];
    upload?: { file: string; content: string }[];
    volumes?: { volume_name?: string }[];
  };
  const containers = Object.values(serving.json.resource?.docker_container ?? {}) as Container[];
  // The config is uploaded into a volume by a writer container; the gateway mounts that volume.
  const writer = containers.find((c) => c.upload?.some((u) => u.file === "/etc/nginx/conf.d/default.conf"));
  const configVolume = writer?.volumes?.[0]?.volume_name;
  const gateway = containers.find((c) => c !== writer && c.volumes?.some((v) => v.volume_name === configVolume));
  const config = writer?.upload?.find((u) => u.file === "/etc/nginx/conf.d/default.conf")?.content ?? "";
  const container = modelResourceName(model.config.servedName);
  const location = [...config.matchAll(/location (\S+)\/v1\/ \{\s*set \$upstream http:\/\/([^:]+):/g)].find((m) => m[2] === container);
  const port = gateway?.ports?.[0];
  return `http://${port?.ip}:${port?.external}${location?.[1]}/v1`;
}

/** What the extension must hold for a model, from the environment's plan and the deployed stack. */
function expectedEndpoint(environment: Environment, model: PlannedModel, serving: DeployedStack, stack: string): Endpoint {
  const { config, spec, plan } = model;
  return {
    id: `${stack}/${config.servedName}`,
    stack,
    outputName: endpointOutputId(config.servedName),
    environment: environment.name,
    servedModelName: config.servedName,
    baseUrl: urlReachingModel(environment, model, serving),
    role: config.role,
    fimTemplate: spec.fimTemplate,
    maxModelLen: plan.maxModelLen,
    apiKeySecret:
      environment.kind === "docker"
        ? apiKeyFileReference(environment.config.target.apiKeyFile)
        : `${environment.config.namespace}/${apiKeySecretName(environment.config.auth.apiKey)}`,
  };
}

const byId = (a: Endpoint, b: Endpoint) => a.id.localeCompare(b.id);

/** Asserts both files a deploy writes carry every model of every environment intact. */
function expectRoundTrip(deployment: Deployment): void {
  const expectedInFile: Endpoint[] = [];
  for (const environment of deployment.environments) {
    const serving = stackOf(deployment, stackName(environment.name));
    const expected = environment.models.map((m) => expectedEndpoint(environment, m, serving, serving.name)).sort(byId);
    expect(expected.length).toBeGreaterThan(0);
    for (const endpoint of expected) expect(endpoint.baseUrl).not.toMatch(/undefined|\$\{/);
    expectedInFile.push(...expected);

    // `cdktf deploy <the environment's stacks> --outputs-file aicockpit-outputs.json`
    const deployed = deployStackNames(environment).map((name) => stackOf(deployment, name));
    const fromFile = mustParse(cdktfOutputsFile(deployed), "aicockpit-outputs.json");
    expect([environment.name, [...fromFile.endpoints].sort(byId)]).toEqual([environment.name, expected]);
    expect(fromFile.environments).toEqual([environment.name]);
    expect(fromFile.warnings).toEqual([]);

    // `terraform output -json` in the serving stack's directory: one unnamed stack.
    const fromTerraform = mustParse(terraformOutputJsonFile(serving), "outputs.json");
    const unnamed = environment.models.map((m) => expectedEndpoint(environment, m, serving, "outputs")).sort(byId);
    expect([environment.name, [...fromTerraform.endpoints].sort(byId)]).toEqual([environment.name, unnamed]);
    expect(fromTerraform.warnings).toEqual([]);
  }

  // One file for every stack at once (`cdktf deploy '*'`).
  const all = mustParse(cdktfOutputsFile(deployment.stacks), "aicockpit-outputs.json");
  expect([...all.endpoints].sort(byId)).toEqual(expectedInFile.sort(byId));
  expect(all.environments).toEqual(deployment.environments.map((e) => e.name).sort());
}

describe("outputs round trip: kit → deploy outputs → extension", () => {
  test("every environment in environments/", () => {
    const names = resolveEnvironmentNames("all");
    expect(names.length).toBeGreaterThan(0);
    const deployment = synthesizeAndDeploy(names);
    expect(deployment.environments.map((e) => e.name)).toEqual(names);
    expectRoundTrip(deployment);
  });

  test("every exposure, with two models whose base URLs must not be mixed up", () => {
    const base = parse(BASE_ENVIRONMENT) as { target: Record<string, unknown>; models: Record<string, unknown>[] };
    const chat = { servedName: "llama-chat", model: "llama-3.1-8b-instruct", role: "chat", pool: "gpu", maxModelLen: 8192 };
    const exposures: Record<string, Record<string, unknown>> = {
      "exposure-clusterip": { type: "ClusterIP" },
      "exposure-nodeport": { type: "NodePort", host: "gpu-node.lab.example", allowedCidrs: ["10.0.0.0/8"] },
      "exposure-nodeport-fixed": { type: "NodePort", nodePort: 30080, host: "gpu-node.lab.example", allowedCidrs: ["10.0.0.0/8"] },
      "exposure-loadbalancer": { type: "LoadBalancer", allowedCidrs: ["10.0.0.0/8"] },
      "exposure-ingress": { type: "Ingress", host: "code-ai.lab.example", tlsSecret: "code-ai-tls" },
    };
    const dir = tempDir("aicockpit-exposures-");
    for (const [name, exposure] of Object.entries(exposures)) {
      // A cluster each: one cluster holds one environment's namespace and monitoring stack (core/validation/shared-cluster.ts).
      const target = { ...base.target, context: name };
      fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify({ ...base, target, models: [...base.models, chat], exposure }));
    }
    const deployment = synthesizeAndDeploy(Object.keys(exposures).sort(), dir);
    for (const environment of deployment.environments) {
      expect(environment.models.map((m) => [m.config.role, m.spec.fimTemplate])).toEqual([
        ["completion", "qwen"],
        ["chat", "none"],
      ]);
    }
    expectRoundTrip(deployment);
  });
});
