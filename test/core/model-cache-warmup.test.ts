/**
 * The model cache warm-up, pure: the Job's argv, environment, marker and time budgets; and its
 * two fixed Python programs run for real (python3) against a stand-in `huggingface_hub` module and
 * `hf` CLI, so the download, the checksum verification and the marker are exercised end to end.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MARKER_CHECK_SCRIPT,
  WARMUP_ENV,
  WARMUP_SCRIPT,
  cacheMarkerPath,
  cacheWarmed,
  markerCheckProgram,
  warmupDeadlineSeconds,
  warmedRepos,
  warmupProgram,
  warmupTerraformTimeout,
} from "../../core/model-cache-warmup";
import { HF_CACHE_PATH, checkpointBytes, startupBudgetSeconds, vllmArgs } from "../../core/vllm-server-spec";
import { BASE_ENVIRONMENT, environmentFrom } from "../helpers/synth";

const seven = environmentFrom(BASE_ENVIRONMENT).models[0];
const seventy = environmentFrom(
  BASE_ENVIRONMENT.replace(
    /models:[\s\S]*$/,
    "models:\n  - { servedName: llama, model: llama-3.1-70b-instruct, role: chat, pool: gpu, tensorParallel: 4, maxModelLen: 8192 }\n",
  ),
).models[0];

describe("the warm-up Job's plan", () => {
  it("names one marker per repo and revision, in the cache volume's root", () => {
    const marker = cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct");
    expect(marker).toMatch(new RegExp(`^${HF_CACHE_PATH}/\\.aicockpit-complete-[0-9a-f]{64}$`));
    expect(marker).toBe(cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct", "main"));
    expect(marker).not.toBe(cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct", "v2"));
    expect(marker).not.toBe(cacheMarkerPath("Qwen/Qwen2.5-Coder-14B-Instruct"));
  });

  it("gives the Job twice the download at 50 MB/s plus pull and hashing time, and Terraform a little more", () => {
    for (const model of [seven, seventy]) {
      const download = checkpointBytes(model) / 50e6;
      expect(warmupDeadlineSeconds(model)).toBeGreaterThanOrEqual(2 * download + 900);
      expect(warmupDeadlineSeconds(model)).toBeLessThan(2 * download + 901);
      const minutes = Number(/^(\d+)m$/.exec(warmupTerraformTimeout(model))![1]);
      expect(minutes * 60).toBeGreaterThan(warmupDeadlineSeconds(model));
    }
    expect(warmupDeadlineSeconds(seventy)).toBeGreaterThan(warmupDeadlineSeconds(seven) + 2000);
  });

  it("budgets the startup probe for loading only once the cache is warm, and for the download without", () => {
    expect(startupBudgetSeconds(seventy, { warmed: true })).toBe(600);
    expect(startupBudgetSeconds(seventy)).toBe(Math.ceil(600 + checkpointBytes(seventy) / 50e6));
    expect(startupBudgetSeconds(seventy, { warmed: false })).toBe(startupBudgetSeconds(seventy));
  });

  it("passes the repo only through the environment, never in the program's text", () => {
    const program = warmupProgram(seven);
    expect(program.command).toEqual(["python3", "-c", WARMUP_SCRIPT]);
    expect(WARMUP_SCRIPT).not.toContain(seven.spec.hfRepo);
    expect(program.env).toMatchObject({
      [WARMUP_ENV.repo]: "Qwen/Qwen2.5-Coder-7B-Instruct",
      [WARMUP_ENV.revision]: "main",
      [WARMUP_ENV.marker]: cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct"),
      HF_HOME: HF_CACHE_PATH,
      HF_HUB_DISABLE_TELEMETRY: "1",
    });
    expect(markerCheckProgram(seven)).toEqual({
      command: ["python3", "-c", MARKER_CHECK_SCRIPT],
      env: { [WARMUP_ENV.marker]: cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct") },
    });
  });

  it("warms a speculative draft's and each LoRA adapter's repo beside the model's, which the offline server loads too", () => {
    const model = environmentFrom(
      BASE_ENVIRONMENT.replace(
        "    maxModelLen: 16384\n",
        "    maxModelLen: 16384\n    lora: { maxRank: 16, adapters: [{ name: house, source: acme/house-lora }] }\n",
      ),
    ).models[0];
    expect(warmedRepos(seven)).toEqual([{ repo: "Qwen/Qwen2.5-Coder-7B-Instruct", revision: "main" }]);
    expect(warmedRepos(model)).toEqual([
      { repo: "Qwen/Qwen2.5-Coder-7B-Instruct", revision: "main" },
      { repo: "acme/house-lora", revision: "main" },
    ]);
    const markers = [cacheMarkerPath("Qwen/Qwen2.5-Coder-7B-Instruct"), cacheMarkerPath("acme/house-lora")].join("\n");
    expect(warmupProgram(model).env).toMatchObject({
      [WARMUP_ENV.repo]: "Qwen/Qwen2.5-Coder-7B-Instruct\nacme/house-lora",
      [WARMUP_ENV.marker]: markers,
    });
    expect(markerCheckProgram(model).env).toEqual({ [WARMUP_ENV.marker]: markers });
    const drafted = environmentFrom(`${BASE_ENVIRONMENT}  - servedName: starcoder
    model: starcoder2-15b
    role: completion
    pool: gpu
    maxModelLen: 8192
    speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 }
`).models[1];
    expect(warmedRepos(drafted).map(({ repo }) => repo)).toEqual(["bigcode/starcoder2-15b", "bigcode/starcoder2-3b"]);
  });

  it("warms the model and its draft at the revisions the file pins, which the server loads too", () => {
    const MODEL_COMMIT = "a".repeat(40);
    const pinned = environmentFrom(`${BASE_ENVIRONMENT}    revision: ${MODEL_COMMIT}
  - servedName: starcoder
    model: starcoder2-15b
    revision: v1.0
    role: completion
    pool: gpu
    maxModelLen: 8192
    speculative: { method: draft, model: starcoder2-3b, revision: refs/pr/7, numSpeculativeTokens: 3 }
    lora: { maxRank: 16, adapters: [{ name: house, source: acme/house-lora }] }
`).models;
    expect(warmedRepos(pinned[0])).toEqual([{ repo: "Qwen/Qwen2.5-Coder-7B-Instruct", revision: MODEL_COMMIT }]);
    expect(vllmArgs(pinned[0])).toContain(`--revision=${MODEL_COMMIT}`);
    expect(vllmArgs(seven).some((arg) => arg.startsWith("--revision"))).toBe(false);
    const markers = [
      cacheMarkerPath("bigcode/starcoder2-15b", "v1.0"),
      cacheMarkerPath("bigcode/starcoder2-3b", "refs/pr/7"),
      cacheMarkerPath("acme/house-lora", "main"),
    ].join("\n");
    expect(warmupProgram(pinned[1]).env).toMatchObject({
      [WARMUP_ENV.repo]: "bigcode/starcoder2-15b\nbigcode/starcoder2-3b\nacme/house-lora",
      [WARMUP_ENV.revision]: "v1.0\nrefs/pr/7\nmain",
      [WARMUP_ENV.marker]: markers,
    });
    expect(markerCheckProgram(pinned[1]).env).toEqual({ [WARMUP_ENV.marker]: markers });
    const args = vllmArgs(pinned[1]);
    expect(args).toContain("--revision=v1.0");
    const speculative = args.find((arg) => arg.startsWith("--speculative-config="))!;
    expect(JSON.parse(speculative.slice("--speculative-config=".length))).toEqual({
      method: "draft_model",
      model: "bigcode/starcoder2-3b",
      revision: "refs/pr/7",
      num_speculative_tokens: 3,
    });
  });

  it("warms caches on kubernetes and aws unless the file says false, never on docker", () => {
    const config = environmentFrom(BASE_ENVIRONMENT).config;
    expect(cacheWarmed(config)).toBe(true);
    expect(cacheWarmed({ ...config, modelCache: { ...config.modelCache, warmup: false } })).toBe(false);
    expect(cacheWarmed({ target: { kind: "docker" } as never, modelCache: config.modelCache })).toBe(false);
  });
});

/** Git's blob id: SHA-1 of `blob <size>\0<content>`. */
const gitBlobId = (content: Buffer) =>
  createHash("sha1")
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest("hex");
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

const REPO = "acme/coder-1b";
const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const FILES: Record<string, Buffer> = {
  "config.json": Buffer.from('{"architectures": ["LlamaForCausalLM"]}\n'),
  "model.safetensors": Buffer.from("weights ".repeat(1000)),
  "pytorch_model.bin": Buffer.from("the same weights again"),
};

/** A stand-in huggingface_hub (HfApi.model_info) and `hf` CLI, reading the Hub's files from a folder. */
function fakeHub(corrupt: Record<string, Buffer> = {}): { dir: string; env: NodeJS.ProcessEnv; hfLog: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-warmup-"));
  const hub = path.join(dir, "hub-files");
  fs.mkdirSync(hub);
  const siblings = Object.entries(FILES).map(([name, content]) => {
    fs.writeFileSync(path.join(hub, name), corrupt[name] ?? content);
    const lfs = name.endsWith(".json") ? null : { size: content.length, sha256: sha256(content), pointer_size: 130 };
    return { rfilename: name, blob_id: lfs ? "ffff" : gitBlobId(content), lfs };
  });
  fs.writeFileSync(path.join(dir, "siblings.json"), JSON.stringify(siblings));
  fs.mkdirSync(path.join(dir, "lib", "huggingface_hub"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "lib", "huggingface_hub", "__init__.py"),
    `import json, os, types
class HfApi:
    def model_info(self, repo, revision=None, files_metadata=False):
        siblings = json.load(open(os.environ["FAKE_HUB"] + "/siblings.json"))
        return types.SimpleNamespace(sha="${COMMIT}", siblings=[
            types.SimpleNamespace(rfilename=s["rfilename"], blob_id=s["blob_id"],
                lfs=types.SimpleNamespace(**s["lfs"]) if s["lfs"] else None) for s in siblings])
`,
  );
  fs.mkdirSync(path.join(dir, "bin"));
  const hfLog = path.join(dir, "hf.log");
  fs.writeFileSync(
    path.join(dir, "bin", "hf"),
    `#!/usr/bin/env python3
import json, os, shutil, sys
open(os.environ["FAKE_HUB"] + "/hf.log", "a").write(json.dumps(sys.argv[1:]) + "\\n")
_, repo, *rest = sys.argv[1:]
files = rest[: rest.index("--revision")]
revision = rest[rest.index("--revision") + 1]
root = os.path.join(os.environ["HF_HOME"], "hub", "models--" + repo.replace("/", "--"))
os.makedirs(os.path.join(root, "snapshots", "${COMMIT}"), exist_ok=True)
# As huggingface_hub does: a ref for a branch or tag, none for a commit id.
if revision != "${COMMIT}":
    os.makedirs(os.path.dirname(os.path.join(root, "refs", revision)), exist_ok=True)
    open(os.path.join(root, "refs", revision), "w").write("${COMMIT}")
for name in files:
    shutil.copy(os.path.join(os.environ["FAKE_HUB"], "hub-files", name), os.path.join(root, "snapshots", "${COMMIT}", name))
`,
    { mode: 0o755 },
  );
  const cache = path.join(dir, "cache");
  fs.mkdirSync(cache);
  return {
    dir,
    hfLog,
    env: {
      PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
      PYTHONPATH: path.join(dir, "lib"),
      FAKE_HUB: dir,
      HF_HOME: cache,
      [WARMUP_ENV.repo]: REPO,
      [WARMUP_ENV.revision]: "main",
      [WARMUP_ENV.marker]: path.join(cache, ".aicockpit-complete-test"),
    },
  };
}

/** The stand-in `hf`'s argv, one array per call. */
const hfCalls = (hfLog: string) =>
  fs
    .readFileSync(hfLog, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as string[]);
const run = (script: string, env: NodeJS.ProcessEnv) => spawnSync("python3", ["-c", script], { env, encoding: "utf8" });
const python3 = spawnSync("python3", ["--version"]).status === 0;
// python3 is a CI system package (.ci/system-packages.sh); the programs run in the vLLM image's.
const withPython = python3 ? describe : describe.skip;

withPython("the warm-up program, run", () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const hub = (corrupt?: Record<string, Buffer>) => {
    const fake = fakeHub(corrupt);
    made.push(fake.dir);
    return fake;
  };

  it("downloads the safetensors files (not the .bin copy), verifies them and writes the marker", () => {
    const { env, hfLog } = hub();
    const result = run(WARMUP_SCRIPT, env);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(hfCalls(hfLog)).toEqual([["download", REPO, "config.json", "model.safetensors", "--revision", "main"]]);
    expect(fs.readFileSync(env[WARMUP_ENV.marker]!, "utf8")).toContain(`${REPO}@main ${COMMIT} verified 2 files`);
    // The server's check now lets it start.
    expect(run(MARKER_CHECK_SCRIPT, env).status).toBe(0);
  });

  it("warms every repo listed, one marker each, and the server's check wants them all", () => {
    const { env, hfLog } = hub();
    const cache = env.HF_HOME!;
    const markers = [path.join(cache, ".aicockpit-complete-model"), path.join(cache, ".aicockpit-complete-adapter")];
    const both = {
      ...env,
      [WARMUP_ENV.repo]: `${REPO}\nacme/coder-1b-lora`,
      [WARMUP_ENV.revision]: "main\nmain",
      [WARMUP_ENV.marker]: markers.join("\n"),
    };
    // The server's check refuses while the second is missing.
    fs.writeFileSync(markers[0], "done\n");
    expect(run(MARKER_CHECK_SCRIPT, both).stderr).toContain(".aicockpit-complete-adapter missing");
    fs.rmSync(markers[0]);
    const result = run(WARMUP_SCRIPT, both);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(hfCalls(hfLog).map((call) => call[1])).toEqual([REPO, "acme/coder-1b-lora"]);
    expect(fs.readFileSync(markers[1], "utf8")).toContain("acme/coder-1b-lora@main");
    expect(run(MARKER_CHECK_SCRIPT, both).status).toBe(0);
  });

  it("downloads each repo at its own revision: a commit id as is, a branch through the ref the download wrote", () => {
    const { env, hfLog } = hub();
    const cache = env.HF_HOME!;
    const markers = [path.join(cache, ".aicockpit-complete-model"), path.join(cache, ".aicockpit-complete-draft")];
    const pinned = {
      ...env,
      [WARMUP_ENV.repo]: `${REPO}\nacme/coder-draft`,
      [WARMUP_ENV.revision]: `${COMMIT}\nrefs/pr/7`,
      [WARMUP_ENV.marker]: markers.join("\n"),
    };
    const result = run(WARMUP_SCRIPT, pinned);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(hfCalls(hfLog).map((call) => [call[1], call.at(-1)])).toEqual([
      [REPO, COMMIT],
      ["acme/coder-draft", "refs/pr/7"],
    ]);
    expect(fs.readFileSync(markers[0], "utf8")).toBe(`${REPO}@${COMMIT} ${COMMIT} verified 2 files\n`);
    expect(fs.readFileSync(markers[1], "utf8")).toBe(`acme/coder-draft@refs/pr/7 ${COMMIT} verified 2 files\n`);
  });

  it("refuses lists of different lengths rather than pairing a repo with another's revision", () => {
    const { env, hfLog } = hub();
    const result = run(WARMUP_SCRIPT, { ...env, [WARMUP_ENV.repo]: `${REPO}\nacme/other`, [WARMUP_ENV.marker]: "a\nb" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("2 repos, 1 revisions and 2 markers");
    expect(fs.existsSync(hfLog)).toBe(false);
  });

  it("writes no marker when a weight file's sha256 differs from the Hub's, and the server's check refuses the cache", () => {
    const { env } = hub({ "model.safetensors": Buffer.from("truncated") });
    const result = run(WARMUP_SCRIPT, env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("model.safetensors: sha256 differs from the Hub's");
    expect(fs.existsSync(env[WARMUP_ENV.marker]!)).toBe(false);
    const check = run(MARKER_CHECK_SCRIPT, env);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("the model cache is not complete");
  });

  it("checks small files by their git blob id", () => {
    const { env } = hub({ "config.json": Buffer.from("{}") });
    const result = run(WARMUP_SCRIPT, env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("config.json: git blob id differs from the Hub's");
  });

  it("skips a cache already marked complete, without calling the Hub", () => {
    const { env, hfLog } = hub();
    fs.writeFileSync(env[WARMUP_ENV.marker]!, "done\n");
    const result = run(WARMUP_SCRIPT, { ...env, PYTHONPATH: "/nonexistent" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("cache already complete");
    expect(fs.existsSync(hfLog)).toBe(false);
  });

  it("writes no marker when hf download fails", () => {
    const { env, dir } = hub();
    fs.writeFileSync(path.join(dir, "bin", "hf"), "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    const result = run(WARMUP_SCRIPT, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("hf download exited with 3");
    expect(fs.existsSync(env[WARMUP_ENV.marker]!)).toBe(false);
  });

  it("is valid Python as the image's python3 reads it", () => {
    expect(() =>
      execFileSync("python3", ["-c", "import ast,sys; ast.parse(sys.argv[1]); ast.parse(sys.argv[2])", WARMUP_SCRIPT, MARKER_CHECK_SCRIPT]),
    ).not.toThrow();
  });
});
