/**
 * One temporary folder per test run holding everything the run writes: HOME, XDG dirs,
 * VS Code's user data and extensions, Chromium's profile, the workspace. Nothing lands
 * under the real HOME; `remove()` deletes it all.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Set in every process a run starts, so that stragglers can be found (see processesMarked). */
export const SANDBOX_MARKER = "AICOCKPIT_E2E_SANDBOX";

export class Sandbox {
  readonly home: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly chromiumProfile: string;
  readonly workspace: string;
  readonly tmp: string;

  private constructor(readonly root: string) {
    this.home = this.dir("home");
    this.userDataDir = this.dir("user-data");
    this.extensionsDir = this.dir("extensions");
    this.chromiumProfile = this.dir("chromium-profile");
    this.workspace = this.dir("workspace");
    this.tmp = this.dir("tmp");
  }

  static create(): Sandbox {
    return new Sandbox(fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-e2e-")));
  }

  /** The environment of every process the run starts. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // npm's per-run settings would leak into code-server's own npm-less world; drop them.
    for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
    return {
      ...env,
      HOME: this.home,
      XDG_CONFIG_HOME: path.join(this.home, ".config"),
      XDG_DATA_HOME: path.join(this.home, ".local/share"),
      XDG_CACHE_HOME: path.join(this.home, ".cache"),
      XDG_STATE_HOME: path.join(this.home, ".local/state"),
      TMPDIR: this.tmp,
      [SANDBOX_MARKER]: this.root,
      ...extra,
    };
  }

  /** Writes a file in the workspace (parents created) and returns its absolute path. */
  writeWorkspaceFile(relative: string, content: string): string {
    const file = path.join(this.workspace, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  readWorkspaceFile(relative: string): string {
    return fs.readFileSync(path.join(this.workspace, relative), "utf8");
  }

  /** VS Code's user settings of the test profile. */
  writeUserSettings(settings: Record<string, unknown>): void {
    const dir = path.join(this.userDataDir, "User");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "settings.json"), `${JSON.stringify(settings, null, 2)}\n`);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 3 });
  }

  private dir(name: string): string {
    const dir = path.join(this.root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
}
