/**
 * vLLM's V1 engine removed these metric names; a dashboard or rule using one stays blank on
 * current vLLM without any error. This file is the only place in the repository allowed to
 * name them.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const REMOVED = [
  "vllm:gpu_cache_usage_perc",
  "vllm:gpu_prefix_cache_", // vllm:gpu_prefix_cache_hit_rate, _queries, _hits
  "vllm:time_per_output_token_seconds",
  "vllm:num_requests_swapped",
];

const REPO = path.resolve(__dirname, "../..");
const THIS_FILE = path.relative(REPO, __filename);

/** Tracked and untracked (not ignored) files, as they are in the working tree. */
function repositoryFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(listed.split("\0").filter(Boolean))].filter(
    (file) => !file.split("/").includes("node_modules") && fs.existsSync(path.join(REPO, file)),
  );
}

/** `file: name` for every removed name found in the given files (binary files skipped). */
function findRemovedNames(root: string, files: string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const full = path.join(root, file);
    if (!fs.statSync(full).isFile()) continue;
    const content = fs.readFileSync(full);
    if (content.includes(0)) continue;
    const text = content.toString("utf8");
    for (const name of REMOVED) if (text.includes(name)) hits.push(`${file}: ${name}`);
  }
  return hits;
}

describe("removed vLLM metric names", () => {
  it("appear nowhere in the repository except this test", () => {
    const files = repositoryFiles();
    expect(files).toContain(THIS_FILE);
    expect(files.length).toBeGreaterThan(50);
    expect(
      findRemovedNames(
        REPO,
        files.filter((f) => f !== THIS_FILE),
      ),
    ).toEqual([]);
  });

  it("are found by the scan in a dashboard that uses one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-removed-"));
    try {
      fs.writeFileSync(path.join(dir, "old.json"), JSON.stringify({ expr: `avg(${REMOVED[3]}{model_name="x"})` }));
      fs.writeFileSync(path.join(dir, "new.json"), JSON.stringify({ expr: 'avg(vllm:num_requests_waiting{model_name="x"})' }));
      expect(findRemovedNames(dir, ["old.json", "new.json"])).toEqual([`old.json: ${REMOVED[3]}`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
