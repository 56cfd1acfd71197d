/**
 * The GitHub workflows run what the repository says they run: CI is `bash .ci/run` on every Node.js
 * line package.json's engines declares, the release ships the packaged extension and the synth of
 * every environment, and every third-party action is pinned to a commit.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { REPO_ROOT } from "../../cli/gen-docs";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  strategy?: { matrix?: { node?: number[] } };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = path.join(REPO_ROOT, ".github/workflows");
const read = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
const ci = YAML.parse(read("ci.yml")) as Workflow;
const release = YAML.parse(read("release.yml")) as Workflow;
const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
};
const extensionPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "extension/package.json"), "utf8")) as {
  scripts: { package: string };
};
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);

it("CI runs bash .ci/run on exactly the Node.js majors package.json's engines declares", () => {
  const declared = [...packageJson.engines.node.matchAll(/\^(\d+)/g)].map((match) => Number(match[1]));
  expect(declared.length).toBeGreaterThan(0);
  expect(ci.jobs.test.strategy?.matrix?.node).toEqual(declared);
  expect(steps(ci).map((step) => step.run)).toContain("bash .ci/run");
  const setupNode = steps(ci).find((step) => step.uses?.startsWith("actions/setup-node@"));
  expect(setupNode?.with?.["node-version"]).toBe("${{ matrix.node }}");
});

it("CI runs on pushes to main, on pull requests, and for the release", () => {
  expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(["push", "pull_request", "workflow_call"]));
});

it("releases a tag only after CI passes, with the .vsix and the synth of every environment attached", () => {
  expect(release.jobs.test.uses).toBe("./.github/workflows/ci.yml");
  expect(release.jobs.release.needs).toBe("test");
  const commands = steps(release)
    .map((step) => step.run ?? "")
    .join("\n");
  expect(commands).toContain("npm run package");
  expect(commands).toContain("npm run synth -- --env all");
  // The .vsix the extension's package script writes, and the folder synth writes to.
  const vsix = /-o (\S+\.vsix)/.exec(extensionPackage.scripts.package)?.[1];
  expect(commands).toContain(`extension/${vsix}`);
  expect(commands).toContain("cdktf.out");
  expect(commands).toMatch(/gh release create "\$GITHUB_REF_NAME" .*release\/\*/);
});

it("pins every action to a full commit, naming its release in a comment", () => {
  for (const file of fs.readdirSync(WORKFLOWS)) {
    const uses = [...read(file).matchAll(/uses: (\S+)(.*)$/gm)].filter((match) => !match[1].startsWith("./"));
    for (const [, action, comment] of uses) {
      expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/# v\d+\.\d+\.\d+$/);
    }
  }
});
