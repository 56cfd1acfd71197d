/**
 * "Generate Commit Message" in the Source Control view: the staged diff from VS Code's git
 * extension, excluded files left out (not even named), large diffs summarised per file, the
 * repository's style from its recent commit subjects, and the answer streamed into the commit
 * input box. The git extension's API (`vscode.git` exports `getAPI(1)`: `repositories`,
 * `getRepository(uri)`, `Repository.diff(cached)`, `log({ maxEntries })`, `inputBox.value`)
 * as declared in microsoft/vscode extensions/git/src/api/git.d.ts, read 2026-11-26; only the
 * members used here are typed.
 */
import * as vscode from "vscode";
import { buildCommitMessageMessages, chatBudget, commitMessageFromReply, parseUnifiedDiff } from "../core";
import { chatWithProgress } from "./chat-request";
import type { Exclusions } from "./exclusions";
import type { Log } from "./log";
import type { Session } from "./session";

interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  diff(cached?: boolean): Promise<string>;
  log(options?: { maxEntries?: number }): Promise<{ message: string }[]>;
}

interface GitApi {
  readonly repositories: GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}

/** Recent subjects read for the repository's style. */
const STYLE_COMMITS = 20;
/** Redraw the input box at most this often while the message streams. */
const REDRAW_MS = 80;

export async function generateCommitMessageCommand(session: Session, exclusions: Exclusions, log: Log, arg?: unknown): Promise<boolean> {
  const chat = session.target?.chat;
  if (!chat) {
    void vscode.window.showWarningMessage("AiCockpit: no chat model configured.");
    return false;
  }
  const git = await gitApi();
  const repository = git ? pickRepository(git, arg) : undefined;
  if (!git || !repository) {
    void vscode.window.showWarningMessage("AiCockpit: no git repository is open (the built-in Git extension provides it).");
    return false;
  }
  const files = parseUnifiedDiff(await repository.diff(true));
  if (files.length === 0) {
    void vscode.window.showInformationMessage("AiCockpit: nothing is staged. Stage the changes to describe first.");
    return false;
  }
  const subjects = (await repository.log({ maxEntries: STYLE_COMMITS }).catch(() => [])).map((c) => c.message.split("\n")[0]);
  // Paths in the diff are relative to the repository root; exclusions to the workspace.
  const isExcluded = (path: string) => exclusions.isExcluded(vscode.Uri.joinPath(repository.rootUri, path));
  const budget = chatBudget(chat.maxModelLen);
  const prompt = buildCommitMessageMessages({ files, recentSubjects: subjects, maxInputTokens: budget.maxInputTokens, isExcluded });
  if (prompt.excludedCount === files.length) {
    void vscode.window.showWarningMessage("AiCockpit: every staged file is excluded from AI context; nothing was sent.");
    return false;
  }
  log.info(
    `Commit message for ${files.length - prompt.excludedCount} staged file(s)` +
      `${prompt.excludedCount ? `, ${prompt.excludedCount} excluded and not sent` : ""}${prompt.summarised.length ? `, summarised: ${prompt.summarised.join(", ")}` : ""}.`,
  );
  const previous = repository.inputBox.value;
  let streamed = "";
  let drawnAt = 0;
  const reply = await chatWithProgress(session, {
    title: `AiCockpit: writing a commit message with ${chat.model}…`,
    model: chat,
    messages: prompt.messages,
    maxTokens: Math.min(budget.maxOutputTokens, 400),
    temperature: 0.2,
    onText: (delta) => {
      streamed += delta;
      if (Date.now() - drawnAt < REDRAW_MS) return;
      drawnAt = Date.now();
      repository.inputBox.value = commitMessageFromReply(streamed);
    },
  });
  if (reply === undefined) {
    repository.inputBox.value = previous;
    return false;
  }
  repository.inputBox.value = commitMessageFromReply(reply);
  return true;
}

async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>("vscode.git");
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports.getAPI(1);
}

/** The repository of the Source Control view the button was pressed in, else the only or first one. */
function pickRepository(git: GitApi, arg: unknown): GitRepository | undefined {
  const rootUri = (arg as { rootUri?: unknown } | undefined)?.rootUri;
  if (rootUri instanceof vscode.Uri) return git.getRepository(rootUri) ?? undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active ? git.getRepository(active) : null) ?? git.repositories[0];
}
