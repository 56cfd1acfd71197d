/**
 * The extension bundles and packages offline, as `npm run package` does, but into a temporary
 * folder (so concurrent runs never share dist/ or the .vsix), and the bundle carries nothing
 * that phones home or loosens TLS.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const extensionDir = path.join(__dirname, "..", "..");
const bin = (name: string) => require.resolve(name === "esbuild" ? "esbuild/bin/esbuild" : "@vscode/vsce/vsce", { paths: [extensionDir] });

describe("packaging", () => {
  let dir: string;
  let bundle: string;
  let vsix: Buffer;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "aicockpit-package-"));
    for (const file of ["package.json", "README.md", "LICENSE", ".vscodeignore"])
      copyFileSync(path.join(extensionDir, file), path.join(dir, file));
    mkdirSync(path.join(dir, "dist"));
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    // The same esbuild flags as the build script, with paths into the temporary folder.
    const flags = (manifest.scripts.build as string)
      .split(" ")
      .slice(2)
      .filter((f) => !f.startsWith("--outfile"));
    // esbuild's bin is its native executable once installed.
    execFileSync(
      bin("esbuild"),
      [path.join(extensionDir, "src", "extension.ts"), ...flags, `--outfile=${path.join(dir, "dist", "extension.js")}`],
      {
        cwd: extensionDir,
        stdio: "pipe",
      },
    );
    // No proxy can be reached: vsce must not need the network.
    const offline = {
      ...process.env,
      HTTP_PROXY: "http://127.0.0.1:9",
      HTTPS_PROXY: "http://127.0.0.1:9",
      http_proxy: "http://127.0.0.1:9",
      https_proxy: "http://127.0.0.1:9",
    };
    const packageFlags = (manifest.scripts.package as string).split("vsce package ")[1].split(" ");
    execFileSync(process.execPath, [bin("vsce"), "package", ...packageFlags], { cwd: dir, env: offline, stdio: "pipe" });
    bundle = readFileSync(path.join(dir, "dist", "extension.js"), "utf8");
    vsix = readFileSync(path.join(dir, "aicockpit.vsix"));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("produces a .vsix with the minified bundle, the manifest, README and LICENSE only", () => {
    expect(statSync(path.join(dir, "aicockpit.vsix")).size).toBeGreaterThan(100_000);
    // Zip entry names are stored in clear text.
    const names = vsix.toString("latin1");
    for (const entry of ["extension/dist/extension.js", "extension/package.json", "extension/readme.md", "extension/LICENSE.txt"])
      expect(names).toContain(entry);
    for (const absent of ["extension/src/", "extension/test/", "extension/node_modules/", "extension/bench/"])
      expect(names).not.toContain(absent);
  });

  it("bundles openai and zod, keeps vscode external, and never loosens TLS or sends telemetry", () => {
    expect(bundle).toContain('require("vscode")');
    expect(bundle).not.toMatch(/require\("(openai|zod)/);
    expect(bundle.length / bundle.split("\n").length).toBeGreaterThan(1_000); // minified: long lines
    expect(bundle).not.toContain("NODE_TLS_REJECT_UNAUTHORIZED");
    expect(bundle).not.toMatch(/rejectUnauthorized\s*:\s*(!1|false)/);
    expect(bundle).not.toMatch(/applicationinsights|dc\.services\.visualstudio\.com|TelemetryReporter|createTelemetryLogger/i);
  });
});
