/** code-server (VS Code 1.139 in the browser) on 127.0.0.1, run by the Node 24 of the e2e package. */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { CODE_SERVER_ENTRY, NODE24 } from "./paths";
import { startProcess, waitUntil, type Managed } from "./processes";
import type { Sandbox } from "./sandbox";

export function assertInstalled(): void {
  for (const file of [NODE24, CODE_SERVER_ENTRY]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm ci --prefix test/e2e\``);
  }
}

/** No extension gallery: VS Code would otherwise query open-vsx.org, which is out of bounds here. */
function serverEnv(sandbox: Sandbox): NodeJS.ProcessEnv {
  return sandbox.env({ EXTENSIONS_GALLERY: "{}" });
}

function profileArgs(sandbox: Sandbox): string[] {
  return [
    "--user-data-dir",
    sandbox.userDataDir,
    "--extensions-dir",
    sandbox.extensionsDir,
    "--config",
    path.join(sandbox.root, "code-server.yaml"),
  ];
}

/** `code-server --install-extension x.vsix` into the sandbox's profile. */
export async function installExtension(sandbox: Sandbox, vsix: string): Promise<void> {
  const installer = startProcess(
    "code-server --install-extension",
    NODE24,
    [CODE_SERVER_ENTRY, ...profileArgs(sandbox), "--force", "--install-extension", vsix],
    { env: serverEnv(sandbox), cwd: sandbox.root },
  );
  const code = await installer.exited;
  await installer.stop();
  if (code !== 0) throw new Error(`installing ${vsix} failed (exit ${code}):\n${installer.output()}`);
}

export interface CodeServer {
  readonly url: string;
  readonly process: Managed;
  stop(): Promise<void>;
}

export async function startCodeServer(sandbox: Sandbox, port: number, folder: string, timeoutMs = 60_000): Promise<CodeServer> {
  const server = startProcess(
    "code-server",
    NODE24,
    [
      CODE_SERVER_ENTRY,
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      ...profileArgs(sandbox),
      folder,
    ],
    { env: serverEnv(sandbox), cwd: sandbox.root },
  );
  const url = `http://127.0.0.1:${port}`;
  const up = await waitUntil(async () => (await httpStatus(`${url}/healthz`)) === 200, timeoutMs, 100);
  if (!up) {
    await server.stop();
    throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${server.output()}`);
  }
  return { url, process: server, stop: () => server.stop() };
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", () => resolve(undefined));
    req.setTimeout(2000, () => req.destroy());
  });
}
