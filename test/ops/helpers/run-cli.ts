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

/** `tsx cli/<command>.ts` from the repository, with no API key from this shell unless `env` gives one. */
function spawnCli(command: string, args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, AICOCKPIT_API_KEY: undefined, ...extraEnv };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return spawn(process.execPath, ["--import", "tsx", path.join(REPO, "cli", `${command}.ts`), ...args], {
    cwd: REPO,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCli(command: string, args: string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawnCli(command, args, options.env);
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

/** A long-running command (fixture, connect) driven by a test: wait for its output, then Ctrl-C. */
export interface RunningCli {
  output(): string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  interrupt(): void;
  done: Promise<CliRun>;
}

export function startCli(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): RunningCli {
  const child = spawnCli(command, args, options.env);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const kill = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const done = new Promise<CliRun>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    output: () => stdout + stderr,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(stdout + stderr).includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${command} did not print "${text}":\n${stdout}${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    interrupt: () => child.kill("SIGINT"),
    done,
  };
}
