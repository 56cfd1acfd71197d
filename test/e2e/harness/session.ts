/**
 * One VS Code session for a test run: a sandbox, the extension installed from its .vsix,
 * code-server on a free port with the test profile, Chromium on the workbench. `dispose()`
 * ends every process the session started, pass or fail, and removes the sandbox.
 */
import { launchBrowser, type Browser } from "./browser";
import { assertInstalled, installExtension, startCodeServer, type CodeServer } from "./code-server";
import { freePort } from "./ports";
import { cleanupOnExit, killPids, processesMarked, waitUntil } from "./processes";
import { Sandbox, SANDBOX_MARKER } from "./sandbox";
import { Workbench } from "./workbench";

export interface SessionOptions {
  /** The packaged extension; none for a bare VS Code. */
  vsix?: string;
  /** VS Code user settings of the test profile. */
  settings: Record<string, unknown>;
  /** Workspace files, by path relative to the folder. */
  files?: Record<string, string>;
  /** Runs on the workspace folder after the files are written and before VS Code starts (e.g. `git init`). */
  prepareWorkspace?: (workspace: string) => void;
  screenshotsDir: string;
}

export interface SessionTimings {
  installExtensionMs: number;
  /** code-server started until it answers HTTP. */
  serverUpMs: number;
  /** code-server started until the workbench shows the folder. */
  workbenchReadyMs: number;
}

export class E2eSession {
  disposed = false;

  private constructor(
    readonly sandbox: Sandbox,
    readonly codeServer: CodeServer,
    readonly browser: Browser,
    readonly workbench: Workbench,
    readonly timings: SessionTimings,
    private readonly forgetCleanup: () => void,
  ) {}

  static async start(options: SessionOptions): Promise<E2eSession> {
    assertInstalled();
    const sandbox = Sandbox.create();
    let codeServer: CodeServer | undefined;
    let browser: Browser | undefined;
    const abort = async () => {
      await browser?.close();
      await codeServer?.stop();
      sweep(sandbox);
      sandbox.remove();
    };
    const forgetCleanup = cleanupOnExit(abort, () => {
      sweep(sandbox);
      sandbox.remove();
    });
    try {
      sandbox.writeUserSettings(options.settings);
      for (const [file, content] of Object.entries(options.files ?? {})) sandbox.writeWorkspaceFile(file, content);
      options.prepareWorkspace?.(sandbox.workspace);
      const installStarted = Date.now();
      if (options.vsix) await installExtension(sandbox, options.vsix);
      const installExtensionMs = Date.now() - installStarted;

      const serverStarted = Date.now();
      codeServer = await startCodeServer(sandbox, await freePort(), sandbox.workspace);
      const serverUpMs = Date.now() - serverStarted;
      browser = await launchBrowser(sandbox);
      const workbench = new Workbench(browser.page, options.screenshotsDir);
      await browser.page.goto(`${codeServer.url}/?folder=${encodeURIComponent(sandbox.workspace)}`);
      await workbench.waitReady();
      const workbenchReadyMs = Date.now() - serverStarted;
      return new E2eSession(sandbox, codeServer, browser, workbench, { installExtensionMs, serverUpMs, workbenchReadyMs }, forgetCleanup);
    } catch (error) {
      const log = codeServer?.process.output() ?? "";
      await abort();
      forgetCleanup();
      throw new Error(`${error instanceof Error ? error.message : String(error)}${log ? `\ncode-server log:\n${log.slice(-4000)}` : ""}`, {
        cause: error,
      });
    }
  }

  /** code-server's own log so far (extension host errors end up here). */
  serverLog(): string {
    return this.codeServer.process.output();
  }

  /** Stops everything; returns the processes that outlived their group and had to be killed. */
  async dispose(): Promise<number[]> {
    if (this.disposed) return [];
    this.disposed = true;
    await this.browser.close();
    await this.codeServer.stop();
    const stragglers = sweep(this.sandbox);
    await waitUntil(() => processesMarked(SANDBOX_MARKER, this.sandbox.root).length === 0, 2000);
    this.sandbox.remove();
    this.forgetCleanup();
    return stragglers;
  }
}

function sweep(sandbox: Sandbox): number[] {
  const left = processesMarked(SANDBOX_MARKER, sandbox.root);
  killPids(left);
  return left;
}
