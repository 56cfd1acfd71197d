/**
 * Invariants every docker environment in environments/ must keep, on the Terraform JSON synth
 * writes for it: GPUs never shared, vLLM never published, only loopback unless acknowledged,
 * no key in the JSON, every long-running container restricted and health-checked.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listEnvironments, loadEnvironment, type DockerEnvironment } from "../../core/load-environment";
import { stackName } from "../../core/names";
import { synthesize } from "../../stacks/synthesize";

const dockerEnvironments = listEnvironments()
  .map((name) => loadEnvironment(name))
  .filter((environment): environment is DockerEnvironment => environment.kind === "docker");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-docker-policy-"));
const result = synthesize(
  dockerEnvironments.map((e) => e.name),
  outdir,
);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

interface Container {
  name: string;
  env?: string[];
  runtime?: string;
  read_only?: boolean;
  user?: string;
  restart?: string;
  must_run?: boolean;
  ports?: { ip: string; external: number }[];
  healthcheck?: unknown;
  capabilities?: { drop?: string[] };
  security_opts?: string[];
}

function containers(name: string): Container[] {
  const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackName(name), "cdk.tf.json"), "utf8")) as {
    resource: { docker_container: Record<string, Container> };
  };
  return Object.values(tf.resource.docker_container);
}

it("has a docker environment and synthesizes each", () => {
  expect(dockerEnvironments.map((e) => e.name)).toContain("workstation");
  expect(result.failed).toEqual([]);
});

describe.each(dockerEnvironments)("docker environment $name", (environment) => {
  const all = () => containers(environment.name);
  const longRunning = () => all().filter((c) => c.must_run !== false);
  const gpuContainers = () => all().filter((c) => c.runtime === "nvidia" && !c.name.includes("dcgm"));

  it("gives no two models a GPU in common, and none beyond the machine", () => {
    const indices = gpuContainers().flatMap((c) =>
      (c.env ?? [])
        .filter((e) => e.startsWith("NVIDIA_VISIBLE_DEVICES="))
        .flatMap((e) => e.split("=")[1].split(","))
        .map(Number),
    );
    expect(indices).toHaveLength(environment.models.reduce((n, m) => n + m.plan.gpusPerReplica, 0));
    expect(new Set(indices).size).toBe(indices.length);
    for (const index of indices) expect(index).toBeLessThan(environment.config.gpuPools[0].gpusPerNode);
  });

  it("publishes no vLLM port, and every port on the configured address", () => {
    for (const container of gpuContainers()) expect(container.ports ?? []).toEqual([]);
    for (const port of longRunning().flatMap((c) => c.ports ?? [])) expect(port.ip).toBe(environment.config.target.bindAddress);
  });

  it("puts no key in any container's environment", () => {
    // `<NAME>__FILE` holds a path to a file (Grafana's convention), never the value.
    const secretLooking = (name: string) => /KEY|TOKEN|PASSWORD/.test(name) && !name.endsWith("__FILE");
    for (const container of all()) expect((container.env ?? []).filter((e) => secretLooking(e.split("=")[0]))).toEqual([]);
  });

  it("restarts, health-checks and restricts every long-running container", () => {
    for (const container of longRunning()) {
      expect(container.restart).toBe("unless-stopped");
      expect(container.healthcheck).toBeDefined();
      expect(container.capabilities?.drop).toEqual(["ALL"]);
      expect(container.security_opts).toContain("no-new-privileges:true");
      // The DCGM exporter is a host agent, excepted as on Kubernetes: it reads the driver as root.
      if (!container.name.endsWith("-dcgm-exporter")) expect(container.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    }
    for (const container of gpuContainers()) expect(container.read_only).toBe(true);
  });
});
