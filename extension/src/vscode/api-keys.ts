/**
 * API keys in VS Code's SecretStorage (the OS keychain), one per server origin and path, never
 * in settings or outputs.
 */
import type * as vscode from "vscode";

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** Fires when any stored key changes (also from another window). */
  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }

  get(baseUrl: string): Thenable<string | undefined> {
    return this.secrets.get(secretId(baseUrl));
  }

  async set(baseUrl: string, key: string): Promise<void> {
    await this.secrets.store(secretId(baseUrl), key);
  }

  async delete(baseUrl: string): Promise<void> {
    await this.secrets.delete(secretId(baseUrl));
  }
}

/** `aicockpit.apiKey:https://host:8000/v1` — trailing slashes do not make a different key. */
function secretId(baseUrl: string): string {
  return `aicockpit.apiKey:${baseUrl.trim().replace(/\/+$/, "")}`;
}
