/**
 * The docker target's Prometheus and Alertmanager configs, rendered from monitoring/ and checked
 * by the real promtool and amtool (Debian's packages, installed by .ci/system-packages.sh).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Testing } from "cdktf";
import { loadEnvironment } from "../../core/load-environment";
import { DockerStack } from "../../stacks/docker-stack";
import { PROMETHEUS_RULES_DIR } from "../../constructs/docker/monitoring-config";

interface Upload {
  file: string;
  content: string;
}

const environment = loadEnvironment("workstation");
if (environment.kind !== "docker") throw new Error("workstation is a docker environment");
const tf = JSON.parse(Testing.synth(new DockerStack(Testing.app(), environment))) as {
  resource: {
    docker_container: Record<string, { name: string; upload?: Upload[]; ports?: { ip: string }[]; networks_advanced?: unknown[] }>;
  };
};
const containers = Object.values(tf.resource.docker_container);
/** The files of a service, uploaded into its config volume by the writer container (constructs/docker/config-volume.ts). */
const uploadsOf = (service: string) => containers.find((c) => c.name.endsWith(`${service}-config-writer`))?.upload ?? [];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-docker-monitoring-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the uploads under `dir`, rewriting the container paths to where they landed. */
function materialize(uploads: Upload[]): Map<string, string> {
  const where = new Map<string, string>();
  for (const upload of uploads) {
    const local = path.join(dir, upload.file);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    where.set(upload.file, local);
  }
  for (const upload of uploads) {
    const content = upload.content.split(PROMETHEUS_RULES_DIR).join(path.join(dir, PROMETHEUS_RULES_DIR));
    fs.writeFileSync(where.get(upload.file)!, content);
  }
  return where;
}

it("renders a Prometheus config and rules that promtool accepts", () => {
  const files = materialize(uploadsOf("-prometheus"));
  const rules = [...files.keys()].filter((f) => f.startsWith(PROMETHEUS_RULES_DIR));
  expect(rules.length).toBeGreaterThan(0);
  const out = execFileSync("promtool", ["check", "config", files.get("/etc/prometheus/prometheus.yml")!], { encoding: "utf8" });
  expect(out).toContain("SUCCESS");
  expect(out).toMatch(/rules found/);
});

it("scrapes both models and the DCGM exporter by container name", () => {
  const config = uploadsOf("-prometheus").find((u) => u.file === "/etc/prometheus/prometheus.yml")!.content;
  expect(config).toContain("aicockpit-qwen2-5-coder-7b:8000");
  expect(config).toContain("aicockpit-qwen2-5-coder-14b:8000");
  expect(config).toContain("aicockpit-workstation-dcgm-exporter:9400");
});

it("renders an Alertmanager config that amtool accepts", () => {
  const files = materialize(uploadsOf("-alertmanager"));
  const out = execFileSync("amtool", ["check-config", files.get("/etc/alertmanager/alertmanager.yml")!], { encoding: "utf8" });
  expect(out).toContain("SUCCESS");
});

it("publishes the monitoring UIs on loopback and keeps the exporter unpublished", () => {
  for (const suffix of ["-prometheus", "-alertmanager", "-grafana"]) {
    const container = containers.find((c) => c.name.endsWith(suffix))!;
    expect(container.ports?.map((p) => p.ip)).toEqual(["127.0.0.1"]);
  }
  expect(containers.find((c) => c.name.endsWith("-dcgm-exporter"))!.ports).toBeUndefined();
});

it("provisions Grafana with every dashboard of monitoring/dashboards", () => {
  const dashboards = uploadsOf("-grafana").filter((u) => u.file.endsWith(".json"));
  expect(dashboards.map((u) => path.basename(u.file)).sort()).toEqual(
    fs
      .readdirSync(path.join(__dirname, "../../monitoring/dashboards"))
      .filter((f) => f.endsWith(".json"))
      .sort(),
  );
});
