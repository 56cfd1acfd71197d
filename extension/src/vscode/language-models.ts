/**
 * The deployment's chat model as a VS Code language model (vendor `aicockpit`). VS Code only
 * runs chat participants when some language model is available; without this, `@aicockpit`
 * would need another vendor's model (and account) just to be invoked. It also lets the chat
 * view's model picker and other extensions use your own model.
 */
import * as vscode from "vscode";
import { runChat } from "../client/streams";
import { estimateTokens, type ChatMessage } from "../core";
import { asBackendError, type Session } from "./session";

export const VENDOR = "aicockpit";
/** Room kept for the answer within the model's context. */
const MAX_OUTPUT_TOKENS = 4_096;

export class AiCockpitLanguageModels implements vscode.LanguageModelChatProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private announced = "";
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.subscription = session.onDidChange(() => {
      const chat = session.target?.chat;
      const current = chat ? `${chat.baseUrl}|${chat.model}|${chat.maxModelLen}` : "";
      if (current === this.announced) return;
      this.announced = current;
      this.changed.fire();
    });
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    const chat = this.session.target?.chat;
    if (!chat) return [];
    const maxOutputTokens = Math.min(MAX_OUTPUT_TOKENS, Math.floor(chat.maxModelLen / 2));
    return [
      {
        id: chat.model,
        name: chat.model,
        family: chat.model,
        version: this.session.target?.environment ?? "manual",
        detail: this.session.target?.environment ? `AiCockpit · ${this.session.target.environment}` : "AiCockpit",
        tooltip: `Served by ${chat.baseUrl}`,
        maxInputTokens: chat.maxModelLen - maxOutputTokens,
        maxOutputTokens,
        capabilities: {},
      },
    ];
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    _options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const chat = this.session.target?.chat;
    if (!chat || chat.model !== model.id) throw new Error(`AiCockpit no longer serves ${model.id}.`);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const client = await this.session.client(chat.baseUrl);
      const result = await runChat(client, { model: chat.model, messages: messages.map(toChatMessage) }, controller.signal, (delta) =>
        progress.report(new vscode.LanguageModelTextPart(delta)),
      );
      this.session.recordChatSuccess(chat.baseUrl, result);
    } catch (error) {
      const failure = asBackendError(error);
      if (failure.kind === "aborted") return;
      this.session.recordFailure(chat.baseUrl, failure, chat.model);
      throw new Error(failure.message);
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokens(typeof text === "string" ? text : textOf(text));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function toChatMessage(message: vscode.LanguageModelChatRequestMessage): ChatMessage {
  return { role: message.role === vscode.LanguageModelChatMessageRole.Assistant ? "assistant" : "user", content: textOf(message) };
}

/** The text parts of a message (tool calls and data parts have no meaning for this server). */
function textOf(message: vscode.LanguageModelChatRequestMessage): string {
  return message.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : "")).join("");
}
