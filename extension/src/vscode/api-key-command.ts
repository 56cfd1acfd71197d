/**
 * "AiCockpit: Set API Key": a password input stored in SecretStorage per base URL. For
 * automation the key (and the base URL) can be passed as arguments; an empty key removes it.
 */
import * as vscode from "vscode";
import { apiKeyHint } from "../core/api-key-hint";
import type { ApiKeys } from "./api-keys";
import type { Session } from "./session";

export async function setApiKeyCommand(
  session: Session,
  keys: ApiKeys,
  key?: unknown,
  baseUrl?: unknown,
  secretName?: unknown,
): Promise<boolean> {
  const target = session.target;
  const baseUrls =
    typeof baseUrl === "string" && baseUrl
      ? [baseUrl]
      : [...new Set([target?.completion?.baseUrl, target?.chat?.baseUrl].filter((u): u is string => !!u))];
  if (baseUrls.length === 0) {
    void vscode.window.showWarningMessage(
      "AiCockpit: no server configured yet. Load the deployment outputs or set aicockpit.manual.baseUrl first.",
    );
    return false;
  }
  let value = typeof key === "string" ? key : undefined;
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: `AiCockpit: API key for ${baseUrls.join(", ")}`,
      prompt: apiKeyHint(typeof secretName === "string" ? secretName : undefined),
      password: true,
      ignoreFocusOut: true,
      placeHolder: "Stored in VS Code's secret storage; empty removes the stored key",
    });
    if (value === undefined) return false;
  }
  for (const url of baseUrls) {
    if (value.trim() === "") await keys.delete(url);
    else await keys.set(url, value.trim());
  }
  session.forgetClients();
  await session.checkHealth();
  return true;
}
