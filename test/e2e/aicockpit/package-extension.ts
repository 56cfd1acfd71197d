/** Builds the .vsix with the extension's own `npm run package` and copies it out of the shared tree. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { EXTENSION_DIR, REPO_ROOT } from "../harness/paths";

const run = promisify(execFile);

export async function packageExtension(intoDir: string): Promise<{ vsix: string; ms: number }> {
  const started = Date.now();
  try {
    await run("npm", ["run", "package"], { cwd: REPO_ROOT, maxBuffer: 20 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run package failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`, { cause: error });
  }
  const built = path.join(EXTENSION_DIR, "aicockpit.vsix");
  if (!fs.existsSync(built)) throw new Error(`npm run package wrote no ${built}`);
  fs.mkdirSync(intoDir, { recursive: true });
  const vsix = path.join(intoDir, "aicockpit.vsix");
  fs.copyFileSync(built, vsix);
  return { vsix, ms: Date.now() - started };
}
