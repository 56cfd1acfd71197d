/** Synth must work on a machine without network and must not phone home. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const REPO = path.resolve(__dirname, "../..");

describe("synth with every network connection refused", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-offline-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  let runs = 0;
  function run(args: string[]) {
    const log = path.join(scratch, `network-${++runs}.log`);
    fs.writeFileSync(log, "");
    const env = {
      ...process.env,
      NODE_OPTIONS: `--require ${path.join(REPO, "test/helpers/forbid-network.cjs")}`,
      FORBID_NETWORK_LOG: log,
    };
    const result = spawnSync(path.join(REPO, "node_modules/.bin/tsx"), args, { cwd: REPO, env, encoding: "utf8" });
    return { ...result, attempts: fs.readFileSync(log, "utf8") };
  }

  it("synthesizes every environment without opening a connection", () => {
    const result = run(["cli/synth.ts", "--env", "all", "--out", path.join(scratch, "out")]);
    expect(result.attempts).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\d+ environment\(s\) synthesized, 0 failed/);
  });

  it("the guard itself refuses and records a connection", () => {
    const result = run(["-e", "require('node:net').connect(9, '127.0.0.1')"]);
    expect(result.status).not.toBe(0);
    expect(result.attempts).toContain("connect 127.0.0.1:9");
  });
});
