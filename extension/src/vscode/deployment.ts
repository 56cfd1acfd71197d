/**
 * "AiCockpit: Load Deployment Outputs": find the outputs file (argument, setting, workspace
 * search, file picker), validate it with the core, choose the environment, and ask for the API
 * key once per base URL. Also reloads the last file silently at start-up.
 */
import * as vscode from "vscode";
import { formatOutputsProblem, parseDeploymentOutputs, type Endpoint } from "../core";
import type { ApiKeys } from "./api-keys";
import { resolvePath, writeSetting } from "./config";
import type { Log } from "./log";
import type { Session } from "./session";

const REMEMBERED_FILE = "aicockpit.outputsFile";
const PREFERRED_NAME = "**/aicockpit-outputs.json";
const ANY_OUTPUTS = "**/*outputs*.json";
const NOT_SEARCHED = "{**/node_modules/**,**/cdktf.out/**,**/.git/**}";

export class DeploymentLoader {
  constructor(
    private readonly session: Session,
    private readonly keys: ApiKeys,
    private readonly state: vscode.Memento,
    private readonly log: Log,
  ) {}

  /** The command. `arg` is a path (absolute or workspace-relative) or a Uri. */
  async loadCommand(arg?: unknown): Promise<boolean> {
    const explicit = arg instanceof vscode.Uri ? arg : typeof arg === "string" ? resolvePath(arg) : undefined;
    const file = explicit ?? resolvePath(this.session.settings.outputsFile) ?? (await this.discover(true));
    if (!file) return false;
    const endpoints = await this.read(file, true);
    if (!endpoints) return false;
    const environments = [...new Set(endpoints.map((e) => e.environment))];
    if (explicit === undefined && environments.length > 1) {
      const current = this.session.settings.environment;
      const picked = await vscode.window.showQuickPick(
        environments.map((env) => ({ label: env, description: env === current ? "current" : undefined })),
        { title: "AiCockpit: environment to use", placeHolder: "The outputs file holds several environments" },
      );
      if (picked && picked.label !== current) await writeSetting("environment", picked.label);
    }
    await this.apply(file, endpoints);
    const target = this.session.target;
    const summary = [
      target?.environment ? `environment ${target.environment}` : undefined,
      target?.completion ? `completions: ${target.completion.model}` : "no completion model",
      target?.chat ? `chat: ${target.chat.model}` : "no chat model",
    ].filter(Boolean);
    void vscode.window.showInformationMessage(
      `AiCockpit: loaded ${endpoints.length} model(s) from ${vscode.workspace.asRelativePath(file)} (${summary.join(", ")}).`,
    );
    await this.askForMissingKeys(endpoints);
    return true;
  }

  /** Start-up: the setting's file, else the last loaded one, else (trusted workspaces only) a discovered one. Never prompts. */
  async autoLoad(): Promise<void> {
    const remembered = this.state.get<string>(REMEMBERED_FILE);
    const file =
      resolvePath(this.session.settings.outputsFile) ??
      (remembered ? vscode.Uri.parse(remembered) : undefined) ??
      (vscode.workspace.isTrusted ? await this.discover(false) : undefined);
    const endpoints = file ? await this.read(file, false) : undefined;
    // The search can be slow at start-up: a file the user loaded meanwhile wins.
    if (this.session.deployment) return;
    if (file && endpoints) await this.apply(file, endpoints);
    else await this.session.reload();
  }

  private async apply(file: vscode.Uri, endpoints: Endpoint[]): Promise<void> {
    await this.state.update(REMEMBERED_FILE, file.toString());
    // Loading the outputs is a fresh connect: the FIM markers are verified again.
    this.session.forgetFimVerdicts();
    await this.session.setDeployment({ file, endpoints });
    this.log.info(
      `Loaded ${endpoints.length} endpoint(s) from ${file.fsPath}: ${endpoints.map((e) => `${e.environment}/${e.servedModelName} (${e.role}, ${e.fimTemplate}) at ${e.baseUrl}`).join("; ")}`,
    );
  }

  /** Reads and validates; on failure tells the user (interactive) or the log (start-up). */
  private async read(file: vscode.Uri, interactive: boolean): Promise<Endpoint[] | undefined> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (error) {
      this.report(interactive, `Cannot read ${file.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const result = parseDeploymentOutputs(text, vscode.workspace.asRelativePath(file));
    if (!result.ok) {
      const lines = result.errors.map(formatOutputsProblem);
      for (const line of lines) this.log.error(line);
      this.report(
        interactive,
        `The outputs file is not usable: ${lines[0]}${lines.length > 1 ? ` (+${lines.length - 1} more in the log)` : ""}`,
      );
      return undefined;
    }
    for (const warning of result.warnings) this.log.warn(formatOutputsProblem(warning));
    return result.endpoints;
  }

  private report(interactive: boolean, message: string): void {
    this.log.error(message);
    if (interactive) {
      void vscode.window.showErrorMessage(`AiCockpit: ${message}`, "Show Log").then((choice) => {
        if (choice) this.log.show();
      });
    }
  }

  /** `aicockpit-outputs.json` first, then any `*outputs*.json`; several → a pick (interactive) or the first. */
  private async discover(interactive: boolean): Promise<vscode.Uri | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) return interactive ? this.pickFile() : undefined;
    let found = await vscode.workspace.findFiles(PREFERRED_NAME, NOT_SEARCHED, 20);
    if (found.length === 0 && interactive) found = await vscode.workspace.findFiles(ANY_OUTPUTS, NOT_SEARCHED, 20);
    if (found.length <= 1 || !interactive) return found[0] ?? (interactive ? this.pickFile() : undefined);
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { title: "AiCockpit: deployment outputs file", placeHolder: "Written by cdktf deploy --outputs-file" },
    );
    return picked?.uri;
  }

  private async pickFile(): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: "AiCockpit: deployment outputs file",
      canSelectMany: false,
      filters: { "Outputs JSON": ["json"] },
      openLabel: "Load",
    });
    return picked?.[0];
  }

  /** Asks once for the key of each base URL in use that has none stored. */
  private async askForMissingKeys(endpoints: Endpoint[]): Promise<void> {
    const target = this.session.target;
    const inUse = [...new Set([target?.completion?.baseUrl, target?.chat?.baseUrl].filter((u): u is string => !!u))];
    for (const baseUrl of inUse) {
      if (await this.keys.get(baseUrl)) continue;
      const secret = endpoints.find((e) => e.baseUrl === baseUrl)?.apiKeySecret;
      await vscode.commands.executeCommand("aicockpit.setApiKey", undefined, baseUrl, secret);
    }
  }
}
