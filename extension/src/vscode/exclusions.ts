/**
 * Which files never reach the server: the core's matcher fed with `aicockpit.exclude`,
 * `files.exclude` and the workspace's `.gitignore` files, rebuilt when any of them changes.
 */
import * as vscode from "vscode";
import { createExclusionMatcher, type ExclusionMatcher } from "../core";
import type { Log } from "./log";
import type { Session } from "./session";

const MAX_GITIGNORES = 200;

export class Exclusions implements vscode.Disposable {
  private matcher: ExclusionMatcher;
  private gitignores: { dir: string; text: string }[] = [];
  private builtFor = "";
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly log: Log,
  ) {
    // Until the .gitignore files are read, the settings' globs already apply.
    this.matcher = this.build();
    const watcher = vscode.workspace.createFileSystemWatcher("**/.gitignore");
    const reload = () => void this.loadGitignores();
    this.disposables.push(
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("files.exclude") || e.affectsConfiguration("aicockpit.exclude")) this.matcher = this.build();
      }),
      // The session changes often (health, latency); rebuild only when the globs did.
      session.onDidChange(() => {
        if (JSON.stringify(session.settings.exclude) !== this.builtFor) this.matcher = this.build();
      }),
    );
    reload();
  }

  /** Workspace-relative path with `/`, as the matcher expects (the file name for files outside it). */
  relativePath(uri: vscode.Uri): string {
    const relative = vscode.workspace.asRelativePath(uri, false);
    return relative === uri.fsPath || relative === uri.path ? (uri.path.split("/").pop() ?? uri.path) : relative;
  }

  isExcluded(uri: vscode.Uri): boolean {
    return this.reason(uri) !== undefined;
  }

  /** For workspace-relative paths (as the core's context snippets carry them). */
  isExcludedPath(relativePath: string): boolean {
    return this.matcher.isExcluded(relativePath);
  }

  /** Why a file is excluded, or undefined. Untitled documents have no path to match. */
  reason(uri: vscode.Uri): string | undefined {
    if (uri.scheme === "untitled") return undefined;
    return this.matcher.reason(this.relativePath(uri));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private build(): ExclusionMatcher {
    this.builtFor = JSON.stringify(this.session.settings.exclude);
    const filesExclude = vscode.workspace.getConfiguration("files").get<Record<string, unknown>>("exclude") ?? {};
    return createExclusionMatcher({ exclude: this.session.settings.exclude, filesExclude, gitignores: this.gitignores });
  }

  private async loadGitignores(): Promise<void> {
    try {
      const files = await vscode.workspace.findFiles("**/.gitignore", "**/node_modules/**", MAX_GITIGNORES);
      const loaded: { dir: string; text: string }[] = [];
      for (const file of files) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
        const path = vscode.workspace.asRelativePath(file, false);
        loaded.push({ dir: path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "", text });
      }
      this.gitignores = loaded;
      this.matcher = this.build();
    } catch (error) {
      this.log.once("gitignore", `Could not read .gitignore files: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
