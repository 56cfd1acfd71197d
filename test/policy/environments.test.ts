/**
 * Invariants every environment in environments/ must keep, checked on the Terraform JSON
 * that synth writes for it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listEnvironments, loadEnvironment } from "../../core/load-environment";
import { stackName } from "../../core/names";
import { synthesize } from "../../stacks/synthesize";
import type { TerraformJson } from "../helpers/synth";
import { vllmContainers, warmupViolations } from "./checks";

const environments = listEnvironments();
/** Docker environments have no cluster: test/policy/docker.test.ts holds their checks. */
const clusterEnvironments = environments.filter((name) => loadEnvironment(name).kind !== "docker");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-policy-"));
const result = synthesize(environments, outdir);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function servingStack(name: string): TerraformJson {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackName(name), "cdk.tf.json"), "utf8")) as TerraformJson;
}

it("synthesizes every environment file", () => {
  expect(environments).toContain("local");
  expect(result.failed).toEqual([]);
  expect(result.synthesized.map((e) => e.name)).toEqual(environments);
});

describe.each(clusterEnvironments)("environment %s", (name) => {
  const tf = () => servingStack(name);

  it("serves every model from a pinned vLLM image", () => {
    const containers = vllmContainers(tf());
    expect(containers.length).toBe(result.synthesized.find((e) => e.name === name)!.models.length);
    for (const c of containers) expect(c.image).toMatch(/^[\w./-]+:v\d+\.\d+\.\d+$/);
  });

  it("sets GPU limits equal to requests", () => {
    for (const c of vllmContainers(tf())) {
      expect(Number(c.resources?.limits?.["nvidia.com/gpu"])).toBeGreaterThan(0);
      expect(c.resources?.limits?.["nvidia.com/gpu"]).toBe(c.resources?.requests?.["nvidia.com/gpu"]);
    }
  });

  it("has startup, readiness and liveness probes", () => {
    for (const c of vllmContainers(tf())) {
      expect(c.startup_probe ?? c.startupProbe).toBeDefined();
      expect(c.readiness_probe ?? c.readinessProbe).toBeDefined();
      expect(c.liveness_probe ?? c.livenessProbe).toBeDefined();
    }
  });

  it("takes the API key from a Secret", () => {
    for (const c of vllmContainers(tf())) {
      for (const name of ["AICOCKPIT_API_KEY", "AICOCKPIT_API_KEY_NEXT"]) {
        const apiKey = c.env?.find((e) => e.name === name);
        expect(apiKey?.value).toBeUndefined();
        expect(JSON.stringify(apiKey?.value_from ?? apiKey?.valueFrom)).toMatch(/secret_?[kK]ey_?[rR]ef/);
      }
    }
  });

  it("warms every model's cache with a Job on its server's image, before the server starts", () => {
    const environment = result.synthesized.find((e) => e.name === name)!;
    expect(warmupViolations(environment, tf())).toEqual([]);
  });

  it("closes the namespace with NetworkPolicies", () => {
    const policies = Object.values(tf().resource.kubernetes_network_policy_v1 ?? {}) as { metadata: { name: string } }[];
    expect(policies.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(["default-deny-ingress", "aicockpit-allow-api"]));
  });

  it("puts no secret value in any output of any stack", () => {
    const stacksDir = path.join(outdir, "stacks");
    for (const stack of fs.readdirSync(stacksDir).filter((s) => s.startsWith(stackName(name)))) {
      const json = JSON.parse(fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8")) as TerraformJson;
      const outputs = JSON.stringify(json.output ?? {});
      expect(outputs).not.toMatch(/random_password|\.data\b|\.data\[|_token|password|private_key/i);
      for (const [id, output] of Object.entries(json.output ?? {})) {
        if (/secret|key|token|password/i.test(id)) expect(output.sensitive).toBe(true);
      }
    }
  });
});
