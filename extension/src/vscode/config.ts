/** Reading and writing `aicockpit.*` settings; validation is the core's. */
import * as vscode from "vscode";
import { parseSettings, SETTING_KEYS, type ParsedSettings } from "../core";

export const SECTION = "aicockpit";

/** Validated settings (in an untrusted workspace VS Code already drops the restricted workspace values). */
export function readSettings(): ParsedSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) raw[key] = config.get(key);
  return parseSettings(raw);
}

/** Writes a setting where the user would expect it: the workspace when one is open. */
export async function writeSetting(key: string, value: unknown): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SECTION).update(key, value, target);
}

/** Resolves a path setting: absolute, `~/`, or relative to the first workspace folder. */
export function resolvePath(path: string): vscode.Uri | undefined {
  if (!path) return undefined;
  if (path.startsWith("~/")) return vscode.Uri.file(`${process.env.HOME ?? ""}/${path.slice(2)}`);
  if (/^([a-zA-Z]:[\\/]|\/)/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
}
