/** The docker target's Terraform JSON: GPU pinning, published ports, network isolation, the key, health checks. */
import fs from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { parseDeploymentOutputs } from "../../extension/src/core/outputs";
import { loadEnvironment, parseEnvironment, type DockerEnvironment, type Environment } from "../../core/load-environment";
import { DOCKER_API_KEY_PATH } from "../../core/docker/api-key";
import { GATEWAY_PORT, VLLM_PORT } from "../../core/names";
import { GATEWAY_IMAGE } from "../../core/pins";
import { vllmArgs } from "../../core/vllm-server-spec";
import { DockerStack } from "../../stacks/docker-stack";

interface DockerContainer {
  name: string;
  image: string;
  command?: string[];
  env?: string[];
  runtime?: string;
  user?: string;
  read_only?: boolean;
  shm_size?: number;
  restart?: string;
  ports?: { internal: number; external: number; ip: string }[];
  networks_advanced?: { name: string }[];
  volumes?: { host_path?: string; volume_name?: string; container_path: string; read_only?: boolean }[];
  healthcheck?: { test: string[]; start_period?: string };
  capabilities?: { drop: string[] };
  upload?: { file: string; content: string }[];
  must_run?: boolean;
  start?: boolean;
  network_mode?: string;
  security_opts?: string[];
  tmpfs?: Record<string, string>;
  depends_on?: string[];
}

function docker(environment: Environment): DockerEnvironment {
  if (environment.kind !== "docker") throw new Error(`expected a docker environment, got ${environment.kind}`);
  return environment;
}

function synth(environment: DockerEnvironment) {
  const app = Testing.app();
  const json = Testing.synth(new DockerStack(app, environment));
  const tf = JSON.parse(json) as {
    resource: {
      docker_container: Record<string, DockerContainer>;
      docker_network: Record<string, { name: string; internal?: boolean; options?: Record<string, string> }>;
    };
    output: Record<string, { value: unknown }>;
    provider: { docker: { host: string }[] };
  };
  const containers = Object.values(tf.resource.docker_container);
  const byName = (name: string) => {
    const found = containers.find((c) => c.name === name);
    if (!found) throw new Error(`no container ${name}; have ${containers.map((c) => c.name).join(", ")}`);
    return found;
  };
  return { json, tf, containers, byName };
}

const workstation = docker(loadEnvironment("workstation"));
const { json, tf, containers, byName } = synth(workstation);
const vllm = workstation.models.map((model) => byName(`aicockpit-${model.config.servedName.replace(/[^a-z0-9]+/g, "-")}`));
const gateway = byName("aicockpit-workstation-gateway");
const serving = containers.filter((c) => c.must_run !== false);

describe("workstation on docker", () => {
  it("talks to the target's engine", () => {
    expect(tf.provider.docker[0].host).toBe("unix:///var/run/docker.sock");
  });

  it("pins each model to GPUs of its own through the NVIDIA runtime", () => {
    expect(vllm.map((c) => c.runtime)).toEqual(["nvidia", "nvidia"]);
    expect(vllm.map((c) => c.env?.find((e) => e.startsWith("NVIDIA_VISIBLE_DEVICES=")))).toEqual([
      "NVIDIA_VISIBLE_DEVICES=0",
      "NVIDIA_VISIBLE_DEVICES=1",
    ]);
  });

  it("runs vLLM with the Kubernetes flags, the key read from the mounted file", () => {
    workstation.models.forEach((model, index) => {
      const command = vllm[index].command ?? [];
      expect(command.slice(-vllmArgs(model).length)).toEqual(vllmArgs(model));
      expect(command[2]).toContain(`--api-key "$key"`);
      expect(vllm[index].volumes).toContainEqual({
        host_path: "/etc/aicockpit/api-key",
        container_path: DOCKER_API_KEY_PATH,
        read_only: true,
      });
    });
  });

  it("publishes the gateway as the only serving port, and every port on loopback", () => {
    const published = serving.flatMap((c) => (c.ports ?? []).map((p) => ({ container: c.name, ...p })));
    expect(published.filter((p) => p.internal === GATEWAY_PORT)).toEqual([
      { container: gateway.name, internal: GATEWAY_PORT, external: 8080, ip: "127.0.0.1" },
    ]);
    expect(published.map((p) => p.container).sort()).toEqual(
      ["alertmanager", "gateway", "grafana", "prometheus"].map((what) => `aicockpit-workstation-${what}`),
    );
    expect(new Set(published.map((p) => p.ip))).toEqual(new Set(["127.0.0.1"]));
    expect(gateway.image).toBe(GATEWAY_IMAGE);
  });

  it("keeps vLLM on an internal network and an egress network without inter-container traffic", () => {
    const networks = tf.resource.docker_network;
    const models = Object.values(networks).find((n) => n.name.endsWith("-models"))!;
    const egress = Object.values(networks).find((n) => n.name.endsWith("-egress"))!;
    expect(models.internal).toBe(true);
    expect(egress.options).toEqual({ "com.docker.network.bridge.enable_icc": "false" });
    for (const container of vllm) {
      expect(container.networks_advanced).toHaveLength(2);
      expect(container.ports).toBeUndefined();
    }
  });

  it("forwards only /v1/, /v1/tokenize (behind the key) and /health per model path", () => {
    const config = byName(`${gateway.name}-config-writer`).upload?.find((u) => u.file === "/etc/nginx/conf.d/default.conf")?.content ?? "";
    const locations = [...config.matchAll(/location (=?\s*\S+)/g)].map((m) => m[1]);
    expect(locations).toEqual([
      "/aicockpit-qwen2-5-coder-7b/v1/",
      "= /aicockpit-qwen2-5-coder-7b/v1/tokenize",
      "= /__aicockpit_auth/aicockpit-qwen2-5-coder-7b",
      "= /aicockpit-qwen2-5-coder-7b/health",
      "/aicockpit-qwen2-5-coder-14b/v1/",
      "= /aicockpit-qwen2-5-coder-14b/v1/tokenize",
      "= /__aicockpit_auth/aicockpit-qwen2-5-coder-14b",
      "= /aicockpit-qwen2-5-coder-14b/health",
      "= /gateway-health",
      "/",
    ]);
    expect(config).toMatch(/location \/ \{\s*return 404;/);
    expect(config).toMatch(/location = \/__aicockpit_auth\/aicockpit-qwen2-5-coder-7b \{\s*internal;/);
    expect(config).toMatch(
      /location = \/aicockpit-qwen2-5-coder-7b\/v1\/tokenize \{\s*auth_request \/__aicockpit_auth\/aicockpit-qwen2-5-coder-7b;/,
    );
    expect(config).toContain(`http://aicockpit-qwen2-5-coder-7b:${VLLM_PORT}`);
  });

  it("never puts the key in the Terraform JSON", () => {
    expect(json).not.toMatch(/VLLM_API_KEY|AICOCKPIT_API_KEY=/);
    for (const container of containers) expect(container.env ?? []).not.toContainEqual(expect.stringMatching(/KEY=/));
  });

  it("checks health on /health, restarts, runs vLLM non-root with a read-only root", () => {
    for (const container of vllm) {
      expect(container.healthcheck?.test.join(" ")).toContain(`http://127.0.0.1:${VLLM_PORT}/health`);
      expect(container.restart).toBe("unless-stopped");
      expect(container.user).toBe("1000:1000");
      expect(container.read_only).toBe(true);
      expect(container.capabilities).toEqual({ drop: ["ALL"] });
    }
    expect(vllm.map((c) => c.shm_size)).toEqual([2048, 2048]);
    expect(gateway.healthcheck?.test).toBeDefined();
  });

  it("writes outputs the extension loads", () => {
    const outputs = Object.fromEntries(Object.entries(tf.output).map(([id, o]) => [id, o.value]));
    const parsed = parseDeploymentOutputs(JSON.stringify({ "aicockpit-workstation": outputs }), "aicockpit-outputs.json");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.endpoints.map((e) => [e.servedModelName, e.baseUrl, e.role]).sort()).toEqual([
      ["qwen2.5-coder-14b", "http://127.0.0.1:8080/aicockpit-qwen2-5-coder-14b/v1", "chat"],
      ["qwen2.5-coder-7b", "http://127.0.0.1:8080/aicockpit-qwen2-5-coder-7b/v1", "completion"],
    ]);
    // Where the key is: the host file the containers mount, not a Kubernetes Secret.
    for (const endpoint of parsed.endpoints) expect(endpoint.apiKeySecret).toBe(`file:${workstation.config.target.apiKeyFile}`);
  });
});

describe("a remote engine over SSH, published on every address", () => {
  const yaml = fs
    .readFileSync(path.join(__dirname, "../../environments/workstation.yaml"), "utf8")
    .replace(
      "host: unix:///var/run/docker.sock",
      'host: ssh://deploy@gpu-box.lan\n  bindAddress: 0.0.0.0\n  acknowledgePublicAccess: "lab network only, behind the office firewall"',
    );
  const remote = docker(parseEnvironment("remote", "environments/remote.yaml", yaml));

  it("warns, and gives clients the SSH host", () => {
    expect(remote.warnings.join("\n")).toContain("public access acknowledged at target");
    const { tf: remoteTf } = synth(remote);
    expect(remoteTf.provider.docker[0].host).toBe("ssh://deploy@gpu-box.lan");
    const base = (remoteTf.output.endpoint_qwen2_5_coder_7b.value as { base_url: string }).base_url;
    expect(base).toBe("http://gpu-box.lan:8080/aicockpit-qwen2-5-coder-7b/v1");
  });
});

describe("every long-running container is hardened as vLLM's", () => {
  const service = (what: string) => byName(`aicockpit-workstation-${what}`);
  const writers = containers.filter((c) => c.name.endsWith("-config-writer"));

  it.each(["gateway", "prometheus", "alertmanager", "grafana"])(
    "%s: read-only root, no capability, no-new-privileges, non-root",
    (what) => {
      const container = service(what);
      expect(container.read_only).toBe(true);
      expect(container.capabilities).toEqual({ drop: ["ALL"] });
      expect(container.security_opts).toEqual(["no-new-privileges:true"]);
      expect(container.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      expect(container.restart).toBe("unless-stopped");
      // The engine refuses `upload` into a read-only root: the files come from a volume.
      expect(container.upload).toBeUndefined();
    },
  );

  it("gives each only the scratch space its image writes to, in memory", () => {
    expect(service("gateway").tmpfs).toEqual({ "/tmp": expect.stringContaining("noexec") });
    expect(service("alertmanager").tmpfs).toEqual({ "/tmp": expect.stringContaining("noexec") });
    expect(service("alertmanager").command).toContain("--storage.path=/tmp");
    expect(service("grafana").tmpfs).toEqual({ "/tmp": expect.stringContaining("noexec") });
    // Grafana logs to a file besides the console by default; the root is read-only.
    expect(service("grafana").env).toContain("GF_LOG_MODE=console");
    expect(service("prometheus").tmpfs).toBeUndefined();
    expect(service("prometheus").volumes).toContainEqual(expect.objectContaining({ container_path: "/prometheus" }));
  });

  it("mounts each one's configuration read-only from a volume that a never-started writer filled", () => {
    const configDirs = {
      gateway: "/etc/nginx/conf.d",
      prometheus: "/etc/prometheus",
      alertmanager: "/etc/alertmanager",
      grafana: "/etc/grafana/provisioning",
    };
    expect(writers.map((w) => w.name).sort()).toEqual(
      Object.keys(configDirs)
        .map((what) => `aicockpit-workstation-${what}-config-writer`)
        .sort(),
    );
    for (const [what, dir] of Object.entries(configDirs)) {
      const writer = byName(`aicockpit-workstation-${what}-config-writer`);
      expect([what, writer.start, writer.must_run, writer.network_mode]).toEqual([what, false, false, "none"]);
      expect(writer.upload?.length).toBeGreaterThan(0);
      for (const upload of writer.upload ?? []) expect(upload.file.startsWith(`${dir}/`)).toBe(true);
      const [writerMount] = writer.volumes ?? [];
      expect(writerMount).toEqual({ volume_name: expect.stringMatching(new RegExp(`^\\$\\{docker_volume\\.`)), container_path: dir });
      expect(service(what).volumes).toContainEqual({ volume_name: writerMount.volume_name, container_path: dir, read_only: true });
      expect(service(what).depends_on?.join(" ")).toContain("config_writer");
    }
  });

  it("names each configuration volume after its content, so a change replaces it whole", () => {
    const volumeNames = (environment: DockerEnvironment) =>
      Object.values(
        (JSON.parse(synth(environment).json) as { resource: { docker_volume: Record<string, { name: string }> } }).resource.docker_volume,
      )
        .map((v) => v.name)
        .filter((n) => n.includes("-config-"));
    const before = volumeNames(workstation);
    expect(before).toContainEqual(expect.stringMatching(/^aicockpit-workstation-gateway-config-[0-9a-f]{12}$/));
    const yaml = fs.readFileSync(path.join(__dirname, "../../environments/workstation.yaml"), "utf8");
    const renamed = docker(
      parseEnvironment("workstation", "environments/workstation.yaml", yaml.replace("servedName: qwen2.5-coder-14b", "servedName: chat")),
    );
    const after = volumeNames(renamed);
    const changed = after.filter((n) => !before.includes(n));
    // The gateway's routes and Prometheus' scrape targets changed; Alertmanager's and Grafana's files did not.
    expect(changed.map((n) => n.replace(/-[0-9a-f]{12}$/, "")).sort()).toEqual(
      ["aicockpit-workstation-gateway-config", "aicockpit-workstation-prometheus-config"].sort(),
    );
  });
});
