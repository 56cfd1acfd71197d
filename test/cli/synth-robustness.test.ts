/** `npm run synth` run as a user runs it, on input that used to crash it: a message every time, never a stack trace. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listEnvironments } from "../../core/load-environment";

const REPO = path.resolve(__dirname, "../..");
const TSX = path.join(REPO, "node_modules/.bin/tsx");
const LOCAL = fs.readFileSync(path.join(REPO, "environments/local.yaml"), "utf8");
const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(node:.+\))$/m;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-synth-cli-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(scratch, "envs-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function synth(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(TSX, ["cli/synth.ts", ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, ...env } });
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stdout).not.toMatch(STACK_TRACE);
  return run;
}

describe("--env all", () => {
  it("synthesizes every good environment even when others fail, and writes nothing for those", () => {
    const dir = folderWith({
      "good.yaml": LOCAL,
      "broken.yaml": LOCAL.replace("servedName: qwen2.5-coder-7b", "servedName: qwen2.5-coder-7b\n    extraArgs: [--api_key=leaked]"),
      "collide.yaml": LOCAL.replace(
        "    gpuMemoryUtilization: 0.92\n",
        "    gpuMemoryUtilization: 0.92\n  - { servedName: qwen2-5-coder-7b, model: qwen2.5-coder-1.5b-instruct, role: chat, pool: workstation, replicas: 0 }\n",
      ),
      "name with spaces.yaml": LOCAL,
    });
    const outdir = path.join(scratch, "all-out");
    const run = synth(["--dir", dir, "--env", "all", "--out", outdir]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("1 environment(s) synthesized, 3 failed");
    expect(run.stderr).toContain("broken.yaml: models[0].extraArgs[0]");
    expect(run.stderr).toContain("collide.yaml: models[1].servedName");
    expect(run.stderr).toContain('"name with spaces" is not a usable environment name');
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["aicockpit-good"]);
  });
});

describe("--env", () => {
  it.each([["../environments/local"], ["../x"], ["/etc/passwd"], ["local.yaml"], [""]])(
    "%j is not an environment of the folder: refused, nothing read or written",
    (name) => {
      const outdir = path.join(scratch, "traversal-out");
      const run = synth(["--env", name, "--out", outdir]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`no environment named "${name}" in environments`);
      expect(run.stderr).toContain(`fix: use one of: ${listEnvironments().join(", ")}`);
      expect(fs.existsSync(outdir)).toBe(false);
    },
  );
});

describe("--out and --dir", () => {
  it("creates a missing output folder, parents included", () => {
    const outdir = path.join(scratch, "missing", "nested", "cdktf.out");
    const run = synth(["--env", "local", "--out", outdir]);
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, "stacks/aicockpit-local/cdk.tf.json"))).toBe(true);
  });

  it("refuses an output path that is a file, and a --dir that is no folder, with the usage line", () => {
    const file = path.join(scratch, "a-file");
    fs.writeFileSync(file, "");
    const out = synth(["--env", "local", "--out", file]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`synth: --out ${file} is a file, not a folder`);
    const dir = synth(["--dir", path.join(scratch, "nowhere"), "--env", "all"]);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(/synth: --dir .*nowhere is not a folder\nusage: npm run synth/);
  });
});

describe("an error the kit does not expect", () => {
  it("prints one line saying it is a bug and where to report it, exits 70 and writes nothing", () => {
    const outdir = path.join(scratch, "simulated-disk-failure");
    const run = synth(["--env", "local", "--out", outdir], {
      NODE_OPTIONS: `--require ${path.join(__dirname, "helpers/disk-failure.cjs")}`,
    });
    expect(run.status).toBe(70);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^synth: internal error: EIO: i\/o error, mkdir .* — a bug in AiCockpit, not in your file; please report it with \.github\/ISSUE_TEMPLATE\/bug_report\.yml/,
    );
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it("shows the trace when asked for with AICOCKPIT_DEBUG=1", () => {
    const run = spawnSync(TSX, ["cli/synth.ts", "--env", "local", "--out", path.join(scratch, "simulated-disk-failure")], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, AICOCKPIT_DEBUG: "1", NODE_OPTIONS: `--require ${path.join(__dirname, "helpers/disk-failure.cjs")}` },
    });
    expect(run.stderr).toMatch(STACK_TRACE);
  });
});
