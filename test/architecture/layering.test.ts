/**
 * The one-way layering (core → monitoring → constructs → stacks → cli) is a lint rule:
 * probe sources are linted as if they sat in each folder, with the repo's own layering config.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const ESLINT = path.join(REPO, "node_modules/.bin/eslint");

/** Lints `source` as the file `file` with eslint.layering.mjs; returns the messages. */
function lintAs(file: string, source: string): string {
  const run = spawnSync(ESLINT, ["--no-config-lookup", "-c", "eslint.layering.mjs", "--stdin", "--stdin-filename", file], {
    cwd: REPO,
    input: source,
    encoding: "utf8",
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
  return run.stdout;
}

const LAYERS = ["core", "monitoring", "constructs", "stacks", "cli"] as const;
/** A real module in each folder, to import from a probe one level deep in another folder. */
const MODULE_IN = {
  core: "../core/pins",
  monitoring: "../monitoring/render-rules",
  constructs: "../constructs/serving/model-cache",
  stacks: "../stacks/synthesize",
  cli: "../cli/args",
} as const;

describe("import layering", () => {
  const pairs = LAYERS.flatMap((from, i) => LAYERS.map((to, j) => [from, to, j > i] as const)).filter(([from, to]) => from !== to);

  it.each(pairs)("%s importing %s: refused %s", (from, to, refused) => {
    const output = lintAs(`${from}/layering-probe.ts`, `import * as probe from "${MODULE_IN[to]}";\nexport const used = probe;\n`);
    if (refused) {
      expect(output).toContain(`There is no policy allowing dependencies from elements of type "${from}" to elements of type "${to}"`);
    } else {
      expect(output).not.toContain("boundaries/dependencies");
    }
  });

  it.each(["cdktf", "constructs", "@cdktf/provider-kubernetes/lib/service-v1", "vscode"])("core/ may not import %s", (pkg) => {
    expect(lintAs("core/planning/probe.ts", `import * as probe from "${pkg}";\nexport const used = probe;\n`)).toContain(
      "core/ is the pure domain",
    );
  });

  it("core/ may import zod, yaml and Node built-ins", () => {
    const source = 'import { z } from "zod";\nimport YAML from "yaml";\nimport fs from "node:fs";\nexport const used = [z, YAML, fs];\n';
    expect(lintAs("core/probe.ts", source)).toBe("");
  });

  it("extension/src/core may not import vscode; its glue may", () => {
    const source = 'import * as vscode from "vscode";\nexport const used = vscode;\n';
    expect(lintAs("extension/src/core/probe.ts", source)).toContain("extension/src/core is pure");
    expect(lintAs("extension/src/vscode/probe.ts", source)).not.toContain("extension/src/core is pure");
  });
});
