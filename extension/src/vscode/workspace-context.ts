/**
 * Snapshots the core's context assembly chooses from: other open files, recently edited
 * regions and the files the current one imports (read from disk, cached briefly). Excluded
 * files are filtered here and again by the core.
 */
import * as vscode from "vscode";
import { importCandidates, importSpecifiers, type EditedRange, type FileSnapshot } from "../core";
import type { Exclusions } from "./exclusions";

const MAX_OPEN_FILES = 8;
const MAX_EDITS = 16;
const MAX_IMPORTS = 6;
const EDIT_CONTEXT_LINES = 3;
const SNAPSHOT_CHARS = 8_000;
const DISK_CACHE_MS = 30_000;

interface EditMark {
  uri: vscode.Uri;
  line: number;
  editedAt: number;
}

export class WorkspaceContext implements vscode.Disposable {
  private edits: EditMark[] = [];
  private readonly disk = new Map<string, { snapshot: FileSnapshot | undefined; readAt: number }>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly exclusions: Exclusions) {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== "file" || e.contentChanges.length === 0) return;
      const line = e.contentChanges[0].range.start.line;
      const key = e.document.uri.toString();
      // One mark per region: a burst of typing on nearby lines updates the same mark.
      this.edits = this.edits.filter((m) => m.uri.toString() !== key || Math.abs(m.line - line) > EDIT_CONTEXT_LINES * 2);
      this.edits.push({ uri: e.document.uri, line, editedAt: Date.now() });
      if (this.edits.length > MAX_EDITS) this.edits.shift();
    });
  }

  /** Other open text documents, most recently visible first. */
  openFiles(current: vscode.TextDocument): FileSnapshot[] {
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    return vscode.workspace.textDocuments
      .filter((d) => d !== current && (d.uri.scheme === "file" || d.uri.scheme === "untitled") && !this.exclusions.isExcluded(d.uri))
      .sort((a, b) => Number(visible.has(b.uri.toString())) - Number(visible.has(a.uri.toString())))
      .slice(0, MAX_OPEN_FILES)
      .map((d) => this.snapshot(d));
  }

  /** Recently edited regions with a few lines around them, as they read now. */
  recentEdits(): EditedRange[] {
    const out: EditedRange[] = [];
    for (const mark of this.edits) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === mark.uri.toString());
      if (!document || this.exclusions.isExcluded(document.uri)) continue;
      const start = Math.max(0, mark.line - EDIT_CONTEXT_LINES);
      const end = Math.min(document.lineCount - 1, mark.line + EDIT_CONTEXT_LINES);
      const text = document.getText(new vscode.Range(start, 0, end, document.lineAt(end).text.length));
      out.push({
        path: this.exclusions.relativePath(document.uri),
        languageId: document.languageId,
        text,
        startLine: start,
        editedAt: mark.editedAt,
      });
    }
    return out;
  }

  /** Files the current document imports that exist in the workspace (open or on disk). */
  async importedFiles(current: vscode.TextDocument, text: string): Promise<FileSnapshot[]> {
    const folder = vscode.workspace.getWorkspaceFolder(current.uri);
    if (!folder) return [];
    const path = this.exclusions.relativePath(current.uri);
    const out: FileSnapshot[] = [];
    for (const specifier of importSpecifiers(text, current.languageId)) {
      for (const candidate of importCandidates(specifier, path, current.languageId)) {
        const snapshot = await this.readCandidate(vscode.Uri.joinPath(folder.uri, candidate));
        if (snapshot) {
          out.push(snapshot);
          break;
        }
      }
      if (out.length >= MAX_IMPORTS) break;
    }
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private snapshot(document: vscode.TextDocument): FileSnapshot {
    const end = document.positionAt(SNAPSHOT_CHARS);
    return {
      path: this.exclusions.relativePath(document.uri),
      languageId: document.languageId,
      text: document.getText(new vscode.Range(0, 0, end.line, end.character)),
    };
  }

  private async readCandidate(uri: vscode.Uri): Promise<FileSnapshot | undefined> {
    if (this.exclusions.isExcluded(uri)) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.snapshot(open);
    const key = uri.toString();
    const cached = this.disk.get(key);
    if (cached && Date.now() - cached.readAt < DISK_CACHE_MS) return cached.snapshot;
    let snapshot: FileSnapshot | undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const text = new TextDecoder().decode(bytes.subarray(0, SNAPSHOT_CHARS * 2)).slice(0, SNAPSHOT_CHARS);
      snapshot = { path: this.exclusions.relativePath(uri), languageId: languageOf(uri.path), text };
    } catch {
      snapshot = undefined; // no such candidate
    }
    this.disk.set(key, { snapshot, readAt: Date.now() });
    if (this.disk.size > 200) this.disk.delete(this.disk.keys().next().value as string);
    return snapshot;
  }
}

/** Language id from the extension, for files read from disk (headers and fences only). */
function languageOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const ids: Record<string, string> = {
    ts: "typescript",
    tsx: "typescriptreact",
    js: "javascript",
    jsx: "javascriptreact",
    mjs: "javascript",
    cjs: "javascript",
    py: "python",
    rs: "rust",
    go: "go",
    java: "java",
    c: "c",
    h: "c",
    cpp: "cpp",
    hpp: "cpp",
    cs: "csharp",
    rb: "ruby",
    php: "php",
  };
  return ids[ext] ?? "plaintext";
}
