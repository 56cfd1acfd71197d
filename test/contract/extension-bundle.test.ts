/**
 * The extension bundle takes the outputs contract from the repository (core/contract/), with the
 * same esbuild flags as `npm run build -w extension`: one copy of zod, and nothing else of the
 * kit's core comes along.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const repo = path.join(__dirname, "..", "..");
const extensionDir = path.join(repo, "extension");

describe("extension bundle and the outputs contract", () => {
  let inputs: Record<string, { imports: { path: string }[] }>;

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-bundle-"));
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));
      const flags = (manifest.scripts.build as string)
        .split(" ")
        .slice(2)
        .filter((f) => !f.startsWith("--outfile"));
      const esbuild = require.resolve("esbuild/bin/esbuild", { paths: [extensionDir] });
      const metafile = path.join(dir, "meta.json");
      execFileSync(
        esbuild,
        [path.join("src", "extension.ts"), ...flags, `--outfile=${path.join(dir, "extension.js")}`, `--metafile=${metafile}`],
        {
          cwd: extensionDir,
          stdio: "pipe",
        },
      );
      // Input paths are relative to the working directory (extension/); make them repository-relative.
      const raw = JSON.parse(fs.readFileSync(metafile, "utf8")).inputs as typeof inputs;
      inputs = Object.fromEntries(Object.entries(raw).map(([file, input]) => [path.relative(repo, path.join(extensionDir, file)), input]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test("bundles core/contract/outputs.ts, which imports zod only", () => {
    const contract = inputs[path.join("core", "contract", "outputs.ts")];
    expect(contract).toBeDefined();
    for (const imported of contract.imports) expect(imported.path).toMatch(/(^|\/)node_modules\/zod\//);
  });

  test("resolves one copy of zod for the contract and the extension alike", () => {
    const zodPackages = new Set(
      Object.keys(inputs)
        .filter((f) => f.includes("node_modules/zod/"))
        .map((f) => f.split("node_modules/zod/")[0]),
    );
    expect([...zodPackages]).toHaveLength(1);
  });

  test("bundles core/contract/fim.ts (the FIM markers and their check), which imports zod and the outputs contract only", () => {
    const fim = inputs[path.join("core", "contract", "fim.ts")];
    expect(fim).toBeDefined();
    for (const imported of fim.imports) expect(imported.path).toMatch(/(^|\/)node_modules\/zod\/|^core\/contract\/outputs\.ts$/);
  });

  test("takes nothing else from the kit's core", () => {
    const fromCore = Object.keys(inputs).filter((f) => f.startsWith(`core${path.sep}`));
    expect(fromCore.sort()).toEqual([path.join("core", "contract", "fim.ts"), path.join("core", "contract", "outputs.ts")]);
  });
});
