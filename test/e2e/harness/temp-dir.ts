import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A temporary folder for one run, removed when the runner exits by any path (a signal included). */
export function runTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
