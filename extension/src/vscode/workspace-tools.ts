/**
 * AiCockpit's read-only workspace tools (`aicockpit_readFile`, `aicockpit_searchWorkspace`),
 * registered with `vscode.lm.registerTool` and declared in package.json's `languageModelTools`,
 * so any model in VS Code (agent mode, `@aicockpit`) can read and search the workspace. Excluded
 * files are refused (read) or skipped (search): they never reach a model. Read-only tools ask
 * for no confirmation, as VS Code's API says confirmation is for side effects.
 */
import * as vscode from "vscode";
import { parseReadFileInput, READ_FILE_TOOL, readFileResult, SEARCH_TOOL, searchFiles } from "../core";
import type { Exclusions } from "./exclusions";

/** Files a search reads at most, and the largest file it reads. */
const SEARCH_MAX_FILES = 500;
const SEARCH_MAX_BYTES = 512_000;
const NOT_SEARCHED = "{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/cdktf.out/**}";

const text = (value: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);

export function registerWorkspaceTools(exclusions: Exclusions): vscode.Disposable {
  const read: vscode.LanguageModelTool<unknown> = {
    prepareInvocation: (options) => {
      const input = parseReadFileInput(options.input);
      return { invocationMessage: typeof input === "string" ? "Reading a file" : `Reading ${input.path}` };
    },
    invoke: async (options) => {
      const input = parseReadFileInput(options.input);
      if (typeof input === "string") return text(`Not read: ${input}.`);
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return text("Not read: no workspace folder is open.");
      const uri = vscode.Uri.joinPath(folder.uri, input.path);
      const excluded = exclusions.reason(uri);
      if (excluded) return text(`Not read: ${input.path} is excluded from AI context (${excluded}).`);
      try {
        const document = await vscode.workspace.openTextDocument(uri);
        return text(readFileResult(input.path, document.getText(), input));
      } catch (error) {
        return text(`Not read: ${input.path} (${error instanceof Error ? error.message : String(error)}).`);
      }
    },
  };
  const search: vscode.LanguageModelTool<unknown> = {
    prepareInvocation: (options) => ({ invocationMessage: `Searching the workspace for "${queryOf(options.input)}"` }),
    invoke: async (options, token) => {
      const query = queryOf(options.input);
      const files: { path: string; text: string }[] = [];
      for (const uri of await vscode.workspace.findFiles("**/*", NOT_SEARCHED, SEARCH_MAX_FILES, token)) {
        if (token.isCancellationRequested) break;
        if (exclusions.isExcluded(uri)) continue;
        try {
          const bytes = await vscode.workspace.fs.readFile(uri);
          if (bytes.length > SEARCH_MAX_BYTES || bytes.includes(0)) continue;
          files.push({ path: exclusions.relativePath(uri), text: new TextDecoder().decode(bytes) });
        } catch {
          // Unreadable: not searched.
        }
      }
      return text(searchFiles(files, query));
    },
  };
  return vscode.Disposable.from(vscode.lm.registerTool(READ_FILE_TOOL, read), vscode.lm.registerTool(SEARCH_TOOL, search));
}

function queryOf(input: unknown): string {
  const query = (input as { query?: unknown } | null)?.query;
  return typeof query === "string" ? query : "";
}
