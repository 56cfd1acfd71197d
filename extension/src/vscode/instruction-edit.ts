/**
 * "AiCockpit: Edit Selection with Instruction": ask for an instruction, stream the rewritten
 * selection from the chat model into a diff (original ↔ proposed) as it arrives, then accept
 * (one WorkspaceEdit: one undo step), reject, or refine: a follow-up instruction on the diff
 * view reworks the same proposal (the conversation so far plus the proposal go with it).
 */
import * as vscode from "vscode";
import {
  buildEditFollowUpMessages,
  buildEditMessages,
  codeFromReply,
  editBudget,
  editResultFromReply,
  estimateTokens,
  messagesTokens,
  type ChatMessage,
  type ModelRef,
} from "../core";
import { chatModelFor, chatWithProgress } from "./chat-request";
import type { Exclusions } from "./exclusions";
import type { Log } from "./log";
import type { Session } from "./session";

export const EDIT_SCHEME = "aicockpit-edit";
const PENDING_CONTEXT = "aicockpit.editPending";
/** Redraw the streamed proposal at most this often. */
const REDRAW_MS = 100;

interface PendingEdit {
  uri: vscode.Uri;
  range: vscode.Range;
  original: string;
  replacement: string;
  originalView: vscode.Uri;
  proposedView: vscode.Uri;
  /** The conversation that produced `replacement` (a follow-up continues it). */
  messages: ChatMessage[];
  languageId: string;
  /** The document's text around the selection, for redrawing the proposed side. */
  before: string;
  after: string;
}

/** Read-only documents for both sides of the diff. */
class EditViews implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  delete(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }
}

export class InstructionEdits implements vscode.Disposable {
  private readonly views = new EditViews();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EDIT_SCHEME, this.views);
  private pending: PendingEdit | undefined;
  private counter = 0;

  constructor(
    private readonly session: Session,
    private readonly exclusions: Exclusions,
    private readonly log: Log,
  ) {}

  /** The command. `instruction` may be passed for automation; otherwise an input box asks. */
  async editSelection(instruction?: unknown): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("AiCockpit: open a file and select the code to edit.");
      return false;
    }
    const document = editor.document;
    const chat = chatModelFor(this.session, this.exclusions, document);
    if (!chat) return false;
    const range = editor.selection.isEmpty
      ? document.lineAt(editor.selection.active.line).range
      : new vscode.Range(editor.selection.start, editor.selection.end);
    const text =
      typeof instruction === "string" && instruction.trim()
        ? instruction
        : await vscode.window.showInputBox({
            title: "AiCockpit: edit selection",
            prompt: "What should change?",
            placeHolder: "e.g. handle the empty list case",
            ignoreFocusOut: true,
          });
    if (!text?.trim()) return false;
    if (!this.session.canRequest(chat.baseUrl)) {
      void vscode.window.showWarningMessage(`AiCockpit: ${this.session.health.detail} Retrying shortly.`);
      return false;
    }
    await this.reject();

    const original = document.getText(range);
    this.log.info(
      `Edit requested for ${this.exclusions.relativePath(document.uri)}, lines ${range.start.line + 1}–${range.end.line + 1} (${original.length} chars).`,
    );
    const fullText = document.getText();
    const before = fullText.slice(0, document.offsetAt(range.start));
    const after = fullText.slice(document.offsetAt(range.end));
    const id = ++this.counter;
    const name = document.uri.path.split("/").pop() || "untitled";
    const originalView = vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${id}/original/${name}` });
    const proposedView = vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${id}/proposed/${name}` });
    this.views.set(originalView, fullText);
    this.views.set(proposedView, fullText);
    await vscode.commands.executeCommand("vscode.diff", originalView, proposedView, `AiCockpit edit: ${name} (original ↔ proposed)`, {
      preview: true,
    });

    const budget = editBudget(chat.maxModelLen, original);
    const messages = buildEditMessages({
      instruction: text,
      selection: original,
      languageId: document.languageId,
      filePath: this.exclusions.relativePath(document.uri),
      before,
      after,
      maxInputTokens: budget.maxInputTokens,
    });
    if (messagesTokens(messages) > budget.maxInputTokens) {
      await this.closeViews(originalView, proposedView);
      void vscode.window.showWarningMessage(
        `AiCockpit: the selection (about ${estimateTokens(original)} tokens) is too long for ${chat.model}'s context of ${chat.maxModelLen} tokens; select less.`,
      );
      return false;
    }
    const replacement = await this.propose(chat, messages, budget.maxOutputTokens, original, proposedView, before, after);
    if (replacement === undefined) {
      await this.closeViews(originalView, proposedView);
      return false;
    }
    this.pending = {
      uri: document.uri,
      range,
      original,
      replacement,
      originalView,
      proposedView,
      messages,
      languageId: document.languageId,
      before,
      after,
    };
    await vscode.commands.executeCommand("setContext", PENDING_CONTEXT, true);
    this.log.info(`Edit proposed for ${this.exclusions.relativePath(document.uri)} (${original.length} → ${replacement.length} chars).`);
    this.askToApply();
    return true;
  }

  /**
   * A follow-up instruction on the pending proposal: the model gets the conversation so far,
   * its proposal and the new instruction, and the diff view shows the refined proposal. The
   * proposal stays pending (accept, reject or refine again). `instruction` may be passed for automation.
   */
  async refine(instruction?: unknown): Promise<boolean> {
    const pending = this.pending;
    if (!pending) {
      void vscode.window.showInformationMessage("AiCockpit: there is no proposed edit to refine.");
      return false;
    }
    const chat = this.session.target?.chat;
    if (!chat) return false;
    const text =
      typeof instruction === "string" && instruction.trim()
        ? instruction
        : await vscode.window.showInputBox({
            title: "AiCockpit: refine the proposed edit",
            prompt: "What should change in the proposal?",
            placeHolder: "e.g. keep the old parameter names",
            ignoreFocusOut: true,
          });
    if (!text?.trim() || this.pending !== pending) return false;
    const budget = editBudget(chat.maxModelLen, pending.original);
    let messages = buildEditFollowUpMessages(pending.messages, pending.replacement, text, pending.languageId);
    // A long back-and-forth: drop the oldest follow-ups (never the first request) until it fits.
    while (messagesTokens(messages) > budget.maxInputTokens && messages.length > 4)
      messages = [...messages.slice(0, 2), ...messages.slice(4)];
    const replacement = await this.propose(
      chat,
      messages,
      budget.maxOutputTokens,
      pending.original,
      pending.proposedView,
      pending.before,
      pending.after,
    );
    if (this.pending !== pending) return false;
    if (replacement === undefined) {
      // Failed or cancelled: the proposal shown is the previous one, still pending.
      this.views.set(pending.proposedView, pending.before + pending.replacement + pending.after);
      this.askToApply();
      return false;
    }
    pending.replacement = replacement;
    pending.messages = messages;
    this.log.info(`Edit refined (${pending.original.length} → ${replacement.length} chars).`);
    this.askToApply();
    return true;
  }

  /** Streams a proposal into the proposed side of the diff; the final replacement, or undefined. */
  private async propose(
    chat: ModelRef,
    messages: ChatMessage[],
    maxTokens: number,
    original: string,
    proposedView: vscode.Uri,
    before: string,
    after: string,
  ): Promise<string | undefined> {
    let streamed = "";
    let drawnAt = 0;
    const reply = await chatWithProgress(this.session, {
      title: `AiCockpit: editing with ${chat.model}…`,
      model: chat,
      messages,
      maxTokens,
      temperature: 0.1,
      onText: (delta) => {
        streamed += delta;
        if (Date.now() - drawnAt < REDRAW_MS) return;
        drawnAt = Date.now();
        this.views.set(proposedView, before + codeFromReply(streamed) + after);
      },
    });
    if (reply === undefined) return undefined;
    const replacement = editResultFromReply(reply, original);
    this.views.set(proposedView, before + replacement + after);
    return replacement;
  }

  private askToApply(): void {
    void vscode.window.showInformationMessage("AiCockpit: apply the proposed edit?", "Accept", "Refine…", "Reject").then((choice) => {
      if (choice === "Accept") void this.accept();
      else if (choice === "Reject") void this.reject();
      else if (choice === "Refine…") void this.refine();
    });
  }

  /** Applies the pending edit as one WorkspaceEdit (one undo step), if the code is unchanged since. */
  async accept(): Promise<boolean> {
    const pending = await this.takePending();
    if (!pending) return false;
    const document = await vscode.workspace.openTextDocument(pending.uri);
    if (document.getText(pending.range) !== pending.original) {
      void vscode.window.showWarningMessage("AiCockpit: the selected code changed since the request; the edit was not applied.");
      await this.closeViews(pending.originalView, pending.proposedView);
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(pending.uri, pending.range, pending.replacement);
    const applied = await vscode.workspace.applyEdit(edit);
    await this.closeViews(pending.originalView, pending.proposedView);
    await vscode.window.showTextDocument(document, { preserveFocus: false });
    return applied;
  }

  async reject(): Promise<boolean> {
    const pending = await this.takePending();
    if (!pending) return false;
    await this.closeViews(pending.originalView, pending.proposedView);
    return true;
  }

  /** Ends the pending proposal (it is answered once: accept or reject) and clears its context key. */
  private async takePending(): Promise<typeof this.pending> {
    const pending = this.pending;
    if (!pending) return undefined;
    this.pending = undefined;
    await vscode.commands.executeCommand("setContext", PENDING_CONTEXT, false);
    return pending;
  }

  dispose(): void {
    this.registration.dispose();
  }

  private async closeViews(originalView: vscode.Uri, proposedView: vscode.Uri): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposedView.toString());
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    this.views.delete(originalView);
    this.views.delete(proposedView);
  }
}
