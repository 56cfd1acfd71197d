/**
 * A throwaway VS Code extension, written and packaged into a temporary folder at test time,
 * that proves the harness without the product: it asks the fixture for ghost text, streams
 * a chat answer as `@smoke`, and shows a status bar item. Not product code; never committed
 * as a .vsix. The benchmark also uses it as the floor: the least any completion provider
 * costs in this VS Code (one plain request per call, no debounce, no context).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { EXTENSION_DIR } from "../harness/paths";

const MANIFEST = {
  name: "harness-smoke",
  displayName: "Harness smoke",
  publisher: "aicockpit-e2e",
  version: "0.0.1",
  license: "Apache-2.0",
  engines: { vscode: "^1.100.0" },
  main: "./extension.js",
  activationEvents: ["onStartupFinished"],
  contributes: {
    chatParticipants: [{ id: "smoke.chat", name: "smoke", description: "Harness smoke chat", isSticky: false }],
    languageModelChatProviders: [{ vendor: "smoke", displayName: "Smoke" }],
  },
};

const SOURCE = `
const vscode = require("vscode");
exports.activate = (context) => {
  const baseUrl = () => vscode.workspace.getConfiguration("smoke").get("baseUrl");
  const apiKey = vscode.workspace.getConfiguration("smoke").get("apiKey");
  const headers = { "content-type": "application/json", ...(apiKey ? { authorization: "Bearer " + apiKey } : {}) };
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  item.text = "$(beaker) Smoke ready";
  item.show();
  context.subscriptions.push(item);
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider([{ scheme: "file" }, { scheme: "vscode-remote" }], {
    async provideInlineCompletionItems(document, position, _ctx, token) {
      const prompt = document.getText(new vscode.Range(new vscode.Position(0, 0), position));
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const res = await fetch(baseUrl() + "/completions", {
        method: "POST", signal: controller.signal, headers,
        body: JSON.stringify({ model: "qwen2.5-coder-7b", prompt, max_tokens: 16 }),
      });
      const body = await res.json();
      return [new vscode.InlineCompletionItem(body.choices[0].text, new vscode.Range(position, position))];
    },
  }));
  // VS Code sends a chat request to a participant only while some language model is available.
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider("smoke", {
    provideLanguageModelChatInformation: () => [{ id: "smoke-model", name: "Smoke model", family: "smoke", version: "1",
      maxInputTokens: 8000, maxOutputTokens: 1000, capabilities: {} }],
    async provideLanguageModelChatResponse(_model, _messages, _options, progress) {
      progress.report(new vscode.LanguageModelTextPart("smoke model answer"));
    },
    provideTokenCount: async (_model, text) => String(text).length / 4,
  }));
  // VS Code resolves a vendor's models lazily; until then the chat view has no model to send with.
  void vscode.lm.selectChatModels({ vendor: "smoke" });
  context.subscriptions.push(vscode.chat.createChatParticipant("smoke.chat", async (request, _ctx, stream) => {
    const res = await fetch(baseUrl() + "/chat/completions", {
      method: "POST", headers,
      body: JSON.stringify({ model: "qwen2.5-coder-7b", messages: [{ role: "user", content: request.prompt }] }),
    });
    const body = await res.json();
    for (const word of body.choices[0].message.content.split(/(?<= )/)) stream.markdown(word);
  }));
};
`;

/** Writes and packages the extension under `dir`; returns the .vsix path. */
export function packageThrowawayExtension(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(MANIFEST, null, 2));
  fs.writeFileSync(path.join(dir, "extension.js"), SOURCE);
  fs.writeFileSync(path.join(dir, "README.md"), "Harness smoke extension (test only).\n");
  fs.writeFileSync(path.join(dir, "LICENSE"), "Apache-2.0\n");
  const vsix = path.join(dir, "harness-smoke.vsix");
  execFileSync(
    path.join(EXTENSION_DIR, "node_modules/.bin/vsce"),
    ["package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "-o", vsix],
    { cwd: dir, stdio: "pipe" },
  );
  return vsix;
}
