/** One environment the kit fails on (a bug, not the file) never stops the others, nor leaves half a stack behind. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Construct } from "constructs";

jest.mock("../../stacks/environment-stack", () => {
  const actual = jest.requireActual("../../stacks/environment-stack");
  return {
    ...actual,
    // Fails after it is in the construct tree, as a construct bug would, for the environment named "boom".
    EnvironmentStack: class extends actual.EnvironmentStack {
      constructor(scope: Construct, props: { name: string }) {
        super(scope, props);
        if (props.name === "boom") throw new TypeError("Cannot read properties of undefined (reading 'metadata')");
      }
    },
  };
});

// Imported after the mock is declared (jest hoists jest.mock above imports).
import { synthesize } from "../../stacks/synthesize";

const REPO = path.resolve(__dirname, "../..");

it("writes the other environments and reports the failing one as crashed", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-isolation-"));
  const local = fs.readFileSync(path.join(REPO, "environments/local.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "boom.yaml"), local);
  // Another cluster: two environments on one cluster would clash on its namespace (a refusal, not a crash).
  fs.writeFileSync(path.join(dir, "fine.yaml"), local.replace(/^(\s*context:\s*)\S+/m, "$1other-cluster"));
  const outdir = path.join(dir, "out");
  try {
    const result = synthesize(["boom", "fine"], outdir, dir);
    expect(result.synthesized.map((environment) => environment.name)).toEqual(["fine"]);
    expect(result.failed).toEqual([]);
    expect(result.crashed).toEqual([{ name: "boom", error: expect.any(TypeError) }]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["aicockpit-fine"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toEqual(["aicockpit-fine"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
