/** The real Prometheus tools the monitoring tests run, and the processes they start. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type Tool = "promtool" | "amtool" | "prometheus" | "prometheus-alertmanager";

/** Absolute path of a tool, or an error that says how to install it (tests must not skip). */
export function requireTool(tool: Tool): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/sbin"])) {
    const candidate = path.join(dir, tool);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${tool} is not installed. The monitoring tests run the real Prometheus tools from Debian's ` +
      `prometheus and prometheus-alertmanager packages: run \`bash .ci/system-packages.sh\` (as root or with sudo).`,
  );
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(tool: Tool, args: string[], options: { cwd?: string; input?: string } = {}): Promise<RunResult> {
  const file = requireTool(tool);
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: options.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aicockpit-${prefix}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A long-running tool started by a test; `stop()` ends it and waits for its exit. */
export class ToolProcess {
  private output = "";
  private exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  static start(tool: Tool, args: string[]): ToolProcess {
    return new ToolProcess(spawn(requireTool(tool), args, { stdio: ["ignore", "pipe", "pipe"] }));
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const killed = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(killed);
  }
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}` : ""}`,
  );
}
