/**
 * The deployment's chat model as a VS Code language model (vendor `aicockpit`). VS Code only
 * runs chat participants when some language model is available; without this, `@aicockpit`
 * would need another vendor's model (and account) just to be invoked. It also lets the chat
 * view's model picker, VS Code's agent mode and other extensions use your own model: with tool
 * calling on (the outputs' `tool_calling`, else `aicockpit.chat.toolCalling`), the tools VS Code
 * passes go to vLLM in OpenAI form, the model's streamed tool calls come back as
 * LanguageModelToolCallParts, and the results VS
 * Code sends back go to the model as `tool` messages.
 */
import * as vscode from "vscode";
import { runChat } from "../client/streams";
import { chatBudget, describeMalformedCall, estimateTokens, toChatMessages, toOpenAiTools, type LmMessage, type LmPart } from "../core";
import { asBackendError, type Session } from "./session";

export const VENDOR = "aicockpit";

export class AiCockpitLanguageModels implements vscode.LanguageModelChatProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private announced = "";
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.subscription = session.onDidChange(() => {
      const chat = session.target?.chat;
      const current = chat ? `${chat.baseUrl}|${chat.model}|${chat.maxModelLen}|${chat.toolCalling}` : "";
      if (current === this.announced) return;
      this.announced = current;
      this.changed.fire();
    });
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    const chat = this.session.target?.chat;
    if (!chat) return [];
    const budget = chatBudget(chat.maxModelLen);
    return [
      {
        id: chat.model,
        name: chat.model,
        family: chat.model,
        version: this.session.target?.environment ?? "manual",
        detail: this.session.target?.environment ? `AiCockpit · ${this.session.target.environment}` : "AiCockpit",
        tooltip: `Served by ${chat.baseUrl}${chat.toolCalling ? " (tool calling on)" : ""}`,
        maxInputTokens: budget.maxInputTokens,
        maxOutputTokens: budget.maxOutputTokens,
        capabilities: { toolCalling: chat.toolCalling },
      },
    ];
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const chat = this.session.target?.chat;
    if (!chat || chat.model !== model.id) throw new Error(`AiCockpit no longer serves ${model.id}.`);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const tools =
      chat.toolCalling && options.tools && options.tools.length > 0
        ? toOpenAiTools(options.tools, options.toolMode === vscode.LanguageModelChatToolMode.Required ? "required" : "auto")
        : undefined;
    try {
      const client = await this.session.client(chat.baseUrl);
      const result = await runChat(
        client,
        {
          model: chat.model,
          messages: toChatMessages(messages.map(toLmMessage)),
          maxTokens: chatBudget(chat.maxModelLen).maxOutputTokens,
          tools,
        },
        controller.signal,
        (delta) => progress.report(new vscode.LanguageModelTextPart(delta)),
      );
      if (token.isCancellationRequested) return;
      for (const call of result.toolCalls) progress.report(new vscode.LanguageModelToolCallPart(call.id, call.name, call.input));
      for (const bad of result.malformedToolCalls) progress.report(new vscode.LanguageModelTextPart(`\n\n${describeMalformedCall(bad)}`));
      this.session.recordChatSuccess(chat.baseUrl, result);
    } catch (error) {
      const failure = asBackendError(error);
      if (failure.kind === "aborted") return;
      this.session.recordFailure(chat.baseUrl, failure, chat.model);
      throw new Error(failure.message, { cause: error });
    } finally {
      cancel.dispose();
    }
  }

  provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    if (typeof text === "string") return Promise.resolve(estimateTokens(text));
    return Promise.resolve(
      toLmMessage(text).parts.reduce(
        (sum, p) => sum + estimateTokens(p.kind === "text" ? p.value : p.kind === "toolResult" ? p.text : JSON.stringify(p.input)),
        0,
      ),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A VS Code message in the core's plain form (data parts have no meaning for this server). */
export function toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  const parts: LmPart[] = [];
  for (const part of message.content) {
    if (part instanceof vscode.LanguageModelTextPart) parts.push({ kind: "text", value: part.value });
    else if (part instanceof vscode.LanguageModelToolCallPart)
      parts.push({ kind: "toolCall", callId: part.callId, name: part.name, input: part.input });
    else if (part instanceof vscode.LanguageModelToolResultPart)
      parts.push({ kind: "toolResult", callId: part.callId, text: resultText(part.content) });
  }
  return { role: message.role === vscode.LanguageModelChatMessageRole.Assistant ? "assistant" : "user", parts };
}

/** The text of a tool result's content (text parts; other parts as JSON when they have a value). */
export function resultText(content: readonly unknown[]): string {
  return content
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (typeof part === "object" && part !== null && "value" in part) {
        const value = part.value;
        return typeof value === "string" ? value : JSON.stringify(value);
      }
      return "";
    })
    .join("");
}
