/**
 * Child processes of a test run, each started in its own process group so that stopping it
 * also stops what it started (code-server forks its VS Code server, extension host, file
 * watcher…). Whatever is still running when the runner exits, by any path, is killed.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";

export interface Managed {
  readonly name: string;
  readonly child: ChildProcess;
  /** stdout and stderr so far, for failure reports. */
  output(): string;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Managed>();

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions): Managed {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const append = (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      append(Buffer.from(`\n[spawn error] ${String(error)}\n`));
      resolve(null);
    });
  });
  const managed: Managed = {
    name,
    child,
    output: () => log,
    exited,
    stop: async (graceMs = 5000) => {
      // Stays in `live` until its group is gone, so an exit meanwhile still kills it.
      await stopGroup(child, exited, graceMs);
      live.delete(managed);
    },
  };
  live.add(managed);
  return managed;
}

async function stopGroup(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, "SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
  if (timedOut) signalGroup(pgid, "SIGKILL");
  await exited;
  // The leader may exit before the rest of its group: leave none of it behind.
  if (groupAlive(pgid)) {
    signalGroup(pgid, "SIGKILL");
    await waitUntil(() => !groupAlive(pgid), 2000);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // kill(-0) or kill(-1) would signal this runner's own group or every process.
  if (!(pgid > 1)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  if (!(pgid > 1)) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops every process still running, the latest first. */
export async function stopAll(): Promise<void> {
  for (const managed of [...live].reverse()) await managed.stop(3000);
}

/**
 * Processes (other than this one) whose environment carries `marker=value`: every descendant
 * of a test run inherits it, including those that left their process group (terminal shells).
 */
export function processesMarked(marker: string, value: string): number[] {
  const needle = Buffer.from(`${marker}=${value}\0`);
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`).includes(needle)) found.push(pid);
    } catch {
      // Gone meanwhile, or not readable: not ours.
    }
  }
  return found;
}

export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

interface Cleanup {
  async: () => Promise<void>;
  sync: () => void;
}

const cleanups = new Set<Cleanup>();
let handlersInstalled = false;

/**
 * Until the returned function is called, `cleanup` runs on Ctrl-C, SIGTERM or SIGHUP (then the
 * runner exits non-zero) and `syncCleanup` on any other exit; every live process group is
 * killed on exit regardless.
 */
export function cleanupOnExit(cleanup: () => Promise<void>, syncCleanup: () => void): () => void {
  const entry: Cleanup = { async: cleanup, sync: syncCleanup };
  cleanups.add(entry);
  if (!handlersInstalled) {
    handlersInstalled = true;
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${signal}: stopping every process this run started…\n`);
      const graceful = Promise.allSettled([...cleanups].map((c) => c.async()));
      // The exit handler below kills whatever the graceful stop has not ended within 10 s.
      void Promise.race([graceful, delay(10_000)]).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("SIGHUP", onSignal);
    process.on("exit", () => {
      for (const managed of live) if (managed.child.pid !== undefined) signalGroup(managed.child.pid, "SIGKILL");
      for (const c of cleanups) c.sync();
    });
  }
  return () => cleanups.delete(entry);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await delay(intervalMs);
  }
}
