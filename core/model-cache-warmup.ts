/**
 * The model cache warm-up ("model downloader"): per model, a Job that fills its cache volume
 * with the weights before the server starts, verifies them against the Hub's checksums and
 * only then writes a completion marker; the server's pods refuse to start without the marker.
 * Pure: the Job's argv, environment and time budgets, unit-tested without synthesizing.
 *
 * Upstream facts (read 2026-11-26):
 * - The vLLM images ship huggingface_hub with its `hf` CLI. At v0.10.1.1 and v0.11.0 (c6d80a7a9,
 *   2025-08-20; f9e714813, 2025-10-01) vLLM asks for transformers >= 4.55.2, and its compiled
 *   requirements/test.txt resolves huggingface-hub==0.34.3 beside transformers 4.55.2 / 4.56.2;
 *   on main @ 455edc022 (2026-08-17, v0.29.0's line) requirements/common.txt asks for
 *   huggingface_hub >= 1.27.0. `hf` exists from huggingface_hub v0.34.0 (setup.py console_scripts,
 *   2025-07-25); `huggingface-cli` is removed in v1.0.0 (a stub that "is deprecated and no longer
 *   works", cli/deprecated_cli.py). So the Job runs `hf download`, the one name in all three.
 * - `hf download` does not verify SHA-256: huggingface_hub's http_get only checks the size
 *   ("Consistency check failed: file should be of size …", file_download.py @ v0.34.0 and
 *   v1.27.0). So the Job hashes every file itself against `model_info(files_metadata=True)`:
 *   `lfs.sha256` for LFS files, the git blob id (SHA-1 of `blob <size>\0<content>`) for the rest:
 *   the algorithm of huggingface_hub's own `hf cache verify` (utils/_verification.py @ v1.27.0,
 *   which v0.10/v0.11's hub lacks), on RepoSibling.lfs/.blob_id as both lines define them
 *   (hf_api.py @ v0.34.0 and v1.27.0).
 * - `hf download`'s `--include/--exclude` take `nargs="*"` in 0.x (argparse) but one pattern per
 *   flag in 1.x (typer), so no argv filters on both; file names as positional arguments work on
 *   both (`filenames` in cli/download.py @ v0.34.0 and v1.27.0), so the Job lists the files.
 */
import { createHash } from "node:crypto";
import type { PlannedModel } from "./load-environment";
import type { EnvironmentConfig } from "./schema";
import { DOWNLOAD_MEGABYTES_PER_SECOND, HF_CACHE_PATH, VLLM_PRIVACY_ENV, checkpointBytes } from "./vllm-server-spec";

/** The revision downloaded where the file names none: the Hub's default branch, as vLLM loads it then. */
export const DEFAULT_HF_REVISION = "main";

/** Retries of a failed download (a fresh pod each; `hf download` resumes the files it finished). */
export const WARMUP_BACKOFF_LIMIT = 3;

/**
 * Seconds for what is not download: image pull on a fresh GPU node (the vLLM image is ~10 GB),
 * scheduling, the metadata requests, and hashing the weights (several hundred MB/s from disk).
 */
const WARMUP_FIXED_SECONDS = 900;

/** Environment variables the Job's fixed scripts read their values from (never interpolated into code). */
export const WARMUP_ENV = {
  repo: "AICOCKPIT_HF_REPO",
  revision: "AICOCKPIT_HF_REVISION",
  marker: "AICOCKPIT_CACHE_MARKER",
} as const;

/** Whether the environment's models get a warm-up Job: on kubernetes and aws, unless `modelCache.warmup: false`. */
export function cacheWarmed(config: Pick<EnvironmentConfig, "target" | "modelCache">): boolean {
  return config.target.kind !== "docker" && config.modelCache.warmup;
}

/** The marker file of a repo at a revision, in the cache volume's root. */
export function cacheMarkerPath(hfRepo: string, revision = DEFAULT_HF_REVISION): string {
  const digest = createHash("sha256").update(`${hfRepo}@${revision}`).digest("hex");
  return `${HF_CACHE_PATH}/.aicockpit-complete-${digest}`;
}

/**
 * The Job's `activeDeadlineSeconds`, which bounds all its attempts together (Kubernetes API
 * reference, JobSpec: "the duration in seconds relative to the startTime that the job may be
 * continuously active"; it takes precedence over backoffLimit, kubernetes.io/docs/concepts/
 * workloads/controllers/job, read 2026-11-26): the weights at 50 MB/s twice over (a quantized
 * plan may download a larger checkpoint; a retry repeats a partial file), plus the fixed part.
 */
export function warmupDeadlineSeconds(model: PlannedModel): number {
  const downloadSeconds = checkpointBytes(model) / 1e6 / DOWNLOAD_MEGABYTES_PER_SECOND;
  return Math.ceil(WARMUP_FIXED_SECONDS + 2 * downloadSeconds);
}

/**
 * How long `terraform apply` waits for the Job: its deadline plus the time to notice it. The
 * kubernetes provider's kubernetes_job_v1 waits for completion by default (`wait_for_completion`,
 * Default true) but only for its create/update timeouts, 1 minute by default
 * (kubernetes/resource_kubernetes_job_v1.go @ 0be82cda, hashicorp/terraform-provider-kubernetes,
 * read 2026-11-26), far too short for a download: the Job sets them.
 */
export function warmupTerraformTimeout(model: PlannedModel): string {
  return `${Math.ceil((warmupDeadlineSeconds(model) + 120) / 60)}m`;
}

/**
 * The Job's program, run by the image's python3: a fixed text, the repos, revisions and markers
 * come from WARMUP_ENV (one of each per line: the model's, a speculative draft's, each LoRA
 * adapter's; warmedRepos). For each: skip when its marker exists; list the repo's files (safetensors only
 * when the repo has them, as vLLM loads, not the same weights again as .bin or .pth); `hf
 * download` them into HF_HOME (argv, no shell); hash each against the Hub's metadata at the
 * commit the cache's ref now names; write the marker atomically only when all match.
 */
export const WARMUP_SCRIPT = String.raw`
import fnmatch, hashlib, os, subprocess, sys

# One repo, revision and marker per line: the model's, then a speculative draft's and LoRA adapters'.
repos = os.environ["${WARMUP_ENV.repo}"].split("\n")
revisions = os.environ["${WARMUP_ENV.revision}"].split("\n")
markers = os.environ["${WARMUP_ENV.marker}"].split("\n")
if not len(repos) == len(revisions) == len(markers):
    sys.exit(f"{len(repos)} repos, {len(revisions)} revisions and {len(markers)} markers")

DUPLICATE_WEIGHTS = ["*.bin", "*.pt", "*.pth", "*.gguf", "*.onnx", "*.h5", "*.msgpack", "*.ckpt", "*.ot"]

def wanted(info):
    names = [s.rfilename for s in info.siblings]
    if not any(n.endswith(".safetensors") for n in names):
        return names
    return [n for n in names if not any(fnmatch.fnmatch(n, p) for p in DUPLICATE_WEIGHTS)]

def digest(path, algorithm, prefix=b""):
    h = hashlib.new(algorithm)
    h.update(prefix)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()

def warm(repo, revision, marker):
    if os.path.exists(marker):
        print(f"{repo}@{revision}: cache already complete ({marker}), nothing to download")
        return
    from huggingface_hub import HfApi
    api = HfApi()
    files = wanted(api.model_info(repo, revision=revision))
    if any(n.startswith("-") for n in files):
        sys.exit(f"{repo}: a file name starts with '-'; refusing to pass it to hf download")
    download = subprocess.run(["hf", "download", repo, *files, "--revision", revision])
    if download.returncode != 0:
        sys.exit(f"{repo}@{revision}: hf download exited with {download.returncode}; the Job retries")

    repo_dir = os.path.join(os.environ["HF_HOME"], "hub", "models--" + repo.replace("/", "--"))
    ref = os.path.join(repo_dir, "refs", revision)
    commit = open(ref).read().strip() if os.path.exists(ref) else revision
    info = api.model_info(repo, revision=commit, files_metadata=True)
    snapshot = os.path.join(repo_dir, "snapshots", commit)

    names = set(wanted(info))
    bad = []
    for sibling in info.siblings:
        if sibling.rfilename not in names:
            continue
        path = os.path.join(snapshot, sibling.rfilename)
        if not os.path.isfile(path):
            bad.append(f"{sibling.rfilename}: missing")
        elif sibling.lfs is not None:
            if digest(path, "sha256") != sibling.lfs.sha256:
                bad.append(f"{sibling.rfilename}: sha256 differs from the Hub's")
        elif sibling.blob_id and digest(path, "sha1", b"blob %d\0" % os.path.getsize(path)) != sibling.blob_id:
            bad.append(f"{sibling.rfilename}: git blob id differs from the Hub's")
    if bad:
        sys.exit(f"{repo}@{commit}: not writing the completion marker: " + "; ".join(bad))

    partial = marker + ".partial"
    with open(partial, "w") as f:
        f.write(f"{repo}@{revision} {commit} verified {len(names)} files\n")
    os.replace(partial, marker)
    print(f"{repo}@{commit}: {len(names)} files verified, marker written")

for repo, revision, marker in zip(repos, revisions, markers):
    warm(repo, revision, marker)
`;

/**
 * The server's init container: refuses to start on a cache without the marker, so a half-filled
 * cache (an interrupted or failed Job) is never served. Fixed text; the path comes from the env.
 */
export const MARKER_CHECK_SCRIPT = String.raw`
import os, sys
for marker in os.environ["${WARMUP_ENV.marker}"].split("\n"):
    if not os.path.exists(marker):
        sys.exit(f"the model cache is not complete ({marker} missing): the warm-up Job has not verified it; see its logs")
`;

/** A container's program: argv and environment, as the Job and the init container run them. */
export interface WarmupProgram {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** A repo the server loads from the cache, at the revision it loads. */
export interface WarmedRepo {
  readonly repo: string;
  readonly revision: string;
}

/**
 * Every repo the server loads from the cache, which runs offline once it is warm: the model's,
 * a speculative draft's and each LoRA adapter's (vLLM resolves an adapter's repo id through
 * `snapshot_download` without a revision, get_adapter_absolute_path in vllm/lora/utils.py, which
 * offline reads the cache; so adapters are warmed at main).
 */
export function warmedRepos(model: PlannedModel): WarmedRepo[] {
  const { speculative, lora } = model.serving;
  const repos: WarmedRepo[] = [{ repo: model.spec.hfRepo, revision: model.config.revision ?? DEFAULT_HF_REVISION }];
  if (speculative?.method === "draft")
    repos.push({ repo: speculative.draft.hfRepo, revision: speculative.revision ?? DEFAULT_HF_REVISION });
  for (const adapter of lora?.adapters ?? []) repos.push({ repo: adapter.source, revision: DEFAULT_HF_REVISION });
  return [...new Map(repos.map((warmed) => [`${warmed.repo}@${warmed.revision}`, warmed])).values()];
}

/** One line per warmed repo, as both programs read them. */
function lines(model: PlannedModel, line: (warmed: WarmedRepo) => string): string {
  return warmedRepos(model).map(line).join("\n");
}

/** The markers of every warmed repo, one per line. */
function markerList(model: PlannedModel): string {
  return lines(model, ({ repo, revision }) => cacheMarkerPath(repo, revision));
}

/** The Job's container: python3 runs WARMUP_SCRIPT; values only in the environment. */
export function warmupProgram(model: PlannedModel): WarmupProgram {
  return {
    command: ["python3", "-c", WARMUP_SCRIPT],
    env: {
      ...VLLM_PRIVACY_ENV,
      // The progress bars only fill the log.
      HF_HUB_DISABLE_PROGRESS_BARS: "1",
      [WARMUP_ENV.repo]: lines(model, ({ repo }) => repo),
      [WARMUP_ENV.revision]: lines(model, ({ revision }) => revision),
      [WARMUP_ENV.marker]: markerList(model),
    },
  };
}

/** The server's marker check. */
export function markerCheckProgram(model: PlannedModel): WarmupProgram {
  return {
    command: ["python3", "-c", MARKER_CHECK_SCRIPT],
    env: { [WARMUP_ENV.marker]: markerList(model) },
  };
}
