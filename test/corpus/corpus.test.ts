/**
 * Every file here is a broken environment. Its first line says what the error must say:
 * `# expect: <field> — <text>` (`(file)` for errors about the whole file). Each must be
 * rejected with file, field and fix, and nothing may be written for it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatIssue } from "../../core/errors";
import { listEnvironments } from "../../core/load-environment";
import { synthesize } from "../../stacks/synthesize";

const CORPUS = __dirname;
const REPO = path.resolve(__dirname, "../..");

function expectation(name: string): { field: string; text: string } {
  const first = fs.readFileSync(path.join(CORPUS, `${name}.yaml`), "utf8").split("\n")[0];
  const match = /^# expect: (\S+) — (.+)$/.exec(first);
  if (!match) throw new Error(`${name}.yaml: first line must be "# expect: <field> — <text>"`);
  return { field: match[1] === "(file)" ? "" : match[1], text: match[2] };
}

const cases = listEnvironments(CORPUS);

it("has the broken files the kit promises to reject", () => {
  expect(cases.length).toBeGreaterThanOrEqual(84);
});

describe.each(cases)("%s.yaml", (name) => {
  it("is rejected naming the file, the field and a fix, and writes nothing", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-corpus-"));
    fs.rmSync(outdir, { recursive: true });
    const { field, text } = expectation(name);

    const result = synthesize([name], outdir, CORPUS);

    expect(result.synthesized).toEqual([]);
    expect(fs.existsSync(outdir)).toBe(false);
    const issues = result.failed[0].issues;
    const matching = issues.filter((issue) => issue.field === field);
    expect(matching.map(formatIssue).join("\n")).toContain(text);
    for (const issue of issues) {
      expect(issue.file).toContain(`${name}.yaml`);
      expect(issue.fix.length).toBeGreaterThan(5);
    }
  });
});

describe("the synth command on a broken file", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-cli-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("exits non-zero with a short error and writes nothing", () => {
    const outdir = path.join(scratch, "out");
    let status = 0;
    let stderr = "";
    try {
      execFileSync(
        path.join(REPO, "node_modules/.bin/tsx"),
        ["cli/synth.ts", "--dir", CORPUS, "--env", "tp-not-dividing-heads", "--out", outdir],
        { cwd: REPO, encoding: "utf8", stdio: "pipe" },
      );
    } catch (error) {
      const failure = error as { status: number; stderr: string };
      status = failure.status;
      stderr = failure.stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain("test/corpus/tp-not-dividing-heads.yaml: models[0].tensorParallel");
    expect(stderr).toContain("fix: set tensorParallel to one of 1, 2, 4");
    expect(stderr.split("\n").length).toBeLessThan(10);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe("the synth command on every broken file at once", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-cli-all-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("refuses each with a message, never a stack trace, and writes nothing", () => {
    const outdir = path.join(scratch, "out");
    const run = spawnSync(path.join(REPO, "node_modules/.bin/tsx"), ["cli/synth.ts", "--dir", CORPUS, "--env", "all", "--out", outdir], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`0 environment(s) synthesized, ${cases.length} failed`);
    for (const name of cases) expect(run.stderr).toContain(`✗ ${name}: not synthesized, nothing written`);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.stderr).not.toContain("internal error");
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
