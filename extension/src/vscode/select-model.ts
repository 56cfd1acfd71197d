/**
 * "AiCockpit: Select Environment and Model" (the status bar's click): environments and models
 * of the loaded deployment, or in a manual setup the models the server lists, plus the setup
 * actions.
 */
import * as vscode from "vscode";
import { canChat, canComplete, type Endpoint } from "../core";
import { writeSetting } from "./config";
import type { Session } from "./session";

interface Choice extends vscode.QuickPickItem {
  apply?: () => Promise<void>;
}

export async function selectModelCommand(session: Session): Promise<void> {
  const items: Choice[] = session.deployment ? deploymentChoices(session, session.deployment.endpoints) : await manualChoices(session);
  items.push(
    { label: "", kind: vscode.QuickPickItemKind.Separator },
    { label: "$(cloud-download) Load Deployment Outputs…", apply: () => run("aicockpit.loadDeploymentOutputs") },
    { label: "$(key) Set API Key…", apply: () => run("aicockpit.setApiKey") },
    { label: "$(gear) Manual Setup (settings)…", apply: () => run("workbench.action.openSettings", "aicockpit.manual") },
    { label: "$(output) Show Log", apply: () => run("aicockpit.showLog") },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: `AiCockpit — ${session.health.detail}`,
    placeHolder: session.deployment ? "Environment and model (completions, chat)" : "Model on the manually configured server",
    matchOnDescription: true,
    matchOnDetail: true,
  });
  await picked?.apply?.();
}

function deploymentChoices(session: Session, endpoints: Endpoint[]): Choice[] {
  const target = session.target;
  const items: Choice[] = [];
  for (const environment of [...new Set(endpoints.map((e) => e.environment))].sort()) {
    items.push({ label: environment, kind: vscode.QuickPickItemKind.Separator });
    for (const endpoint of endpoints.filter((e) => e.environment === environment)) {
      const current =
        target?.environment === environment &&
        (target.completion?.model === endpoint.servedModelName || target.chat?.model === endpoint.servedModelName);
      const uses = [canComplete(endpoint) ? "completions" : undefined, canChat(endpoint) ? "chat" : undefined].filter(Boolean).join(" + ");
      items.push({
        label: `${current ? "$(check)" : "$(hubot)"} ${endpoint.servedModelName}`,
        description: `${environment} · ${uses || "unusable"} · FIM ${endpoint.fimTemplate} · ${endpoint.maxModelLen} tokens`,
        detail: endpoint.baseUrl,
        apply: async () => {
          await writeSetting("environment", environment);
          if (canComplete(endpoint)) await writeSetting("completionModel", endpoint.servedModelName);
          if (canChat(endpoint)) await writeSetting("chatModel", endpoint.servedModelName);
        },
      });
    }
  }
  return items;
}

async function manualChoices(session: Session): Promise<Choice[]> {
  const baseUrl = session.settings["manual.baseUrl"];
  if (!baseUrl) return [];
  try {
    const models = await (await session.client(baseUrl)).listModels();
    return models.map((m) => ({
      label: `${m.id === session.target?.completion?.model ? "$(check)" : "$(hubot)"} ${m.id}`,
      description: m.maxModelLen ? `${m.maxModelLen} tokens` : undefined,
      detail: baseUrl,
      apply: async () => {
        await writeSetting("manual.completionModel", m.id);
        if (m.maxModelLen) await writeSetting("manual.maxModelLen", m.maxModelLen);
      },
    }));
  } catch (error) {
    return [{ label: `$(warning) ${baseUrl}: ${error instanceof Error ? error.message : String(error)}` }];
  }
}

async function run(command: string, ...args: unknown[]): Promise<void> {
  await vscode.commands.executeCommand(command, ...args);
}
