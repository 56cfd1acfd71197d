/** Runs an operator command as a user would (`tsx cli/<name>.ts …`), bounded in time. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO = path.resolve(__dirname, "../../..");

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Sends SIGINT once stdout or stderr contains this text (or after `interruptAfterMs`). */
  interruptOn?: string;
  interruptAfterMs?: number;
  timeoutMs?: number;
}

export function runCli(command: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, AICOCKPIT_API_KEY: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "cli", `${command}.ts`), ...args], {
    cwd: REPO,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    child.kill("SIGINT");
  };
  const watch = () => {
    if (options.interruptOn && (stdout + stderr).includes(options.interruptOn)) setTimeout(interrupt, options.interruptAfterMs ?? 0);
  };
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    watch();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
    watch();
  });
  if (!options.interruptOn && options.interruptAfterMs !== undefined) setTimeout(interrupt, options.interruptAfterMs);
  const kill = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aicockpit-${prefix}-`));
}

/** A stack trace line, as Node prints them: what an operator must never see for bad input. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;
