/**
 * One chat request started by a command: a cancellable progress notification, the answer
 * streamed, and success or failure reported to the session (failures also shown, once, since
 * the user asked for this).
 */
import * as vscode from "vscode";
import { runChat } from "../client/streams";
import { chatBudget, type ChatMessage, type ModelRef } from "../core";
import type { Exclusions } from "./exclusions";
import { asBackendError, type Session } from "./session";

export interface ChatCommandRequest {
  title: string;
  model: ModelRef;
  messages: ChatMessage[];
  /** `max_tokens` (chat-budget.ts); default: a chat answer's budget for the model. */
  maxTokens?: number;
  temperature?: number;
  onText?: (delta: string) => void;
}

/** The whole reply, or undefined when cancelled or failed. */
export function chatWithProgress(session: Session, request: ChatCommandRequest): Thenable<string | undefined> {
  const { model } = request;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: request.title, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const client = await session.client(model.baseUrl);
        const maxTokens = request.maxTokens ?? chatBudget(model.maxModelLen).maxOutputTokens;
        const result = await runChat(
          client,
          { model: model.model, messages: request.messages, maxTokens, temperature: request.temperature },
          controller.signal,
          request.onText,
        );
        session.recordChatSuccess(model.baseUrl, result);
        return result.text;
      } catch (error) {
        const failure = asBackendError(error);
        if (failure.kind !== "aborted") {
          session.recordFailure(model.baseUrl, failure, model.model);
          void vscode.window.showErrorMessage(`AiCockpit: ${failure.message}`);
        }
        return undefined;
      } finally {
        cancel.dispose();
      }
    },
  );
}

/**
 * The chat model for a command on `document`, or undefined after telling the user why not
 * (the file is excluded, or no chat model is configured).
 */
export function chatModelFor(session: Session, exclusions: Exclusions, document: vscode.TextDocument): ModelRef | undefined {
  const excluded = exclusions.reason(document.uri);
  if (excluded) {
    void vscode.window.showWarningMessage(
      `AiCockpit: ${exclusions.relativePath(document.uri)} is excluded (${excluded}); it is never sent to the model.`,
    );
    return undefined;
  }
  const chat = session.target?.chat;
  if (!chat) {
    void vscode.window
      .showWarningMessage("AiCockpit: no chat model configured.", "Select Model")
      .then((c) => c && vscode.commands.executeCommand("aicockpit.selectModel"));
  }
  return chat;
}
