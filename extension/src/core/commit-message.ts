/**
 * Commit messages from the staged diff: the diff split per file (excluded files never sent, not
 * even by name), large diffs summarised per file, and the repository's own style learned from
 * its recent commit subjects, all within the model's prompt budget.
 */
import type { ChatMessage } from "./chat-prompts";
import { MESSAGE_OVERHEAD_TOKENS } from "./chat-budget";
import { codeFromReply } from "./code-blocks";
import { estimateTokens, keepHead, tokensToChars } from "./tokens";

/** One file of a unified diff. */
export interface FileDiff {
  /** Path after the change (before it, for a deletion). */
  path: string;
  /** The file's part of the diff, from its `diff --git` line. */
  text: string;
  added: number;
  removed: number;
  binary: boolean;
}

/** Splits `git diff --cached` output per file. */
export function parseUnifiedDiff(diff: string): FileDiff[] {
  const out: FileDiff[] = [];
  const starts = [...diff.matchAll(/^diff --git a\/(.*?) b\/(.*)$/gm)];
  starts.forEach((m, i) => {
    const text = diff.slice(m.index, i + 1 < starts.length ? starts[i + 1].index : diff.length).replace(/\n$/, "");
    let added = 0;
    let removed = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith("+") && !line.startsWith("+++")) added++;
      else if (line.startsWith("-") && !line.startsWith("---")) removed++;
    }
    const deleted = /^deleted file mode/m.test(text);
    out.push({ path: deleted ? m[1] : m[2], text, added, removed, binary: /^Binary files .* differ$/m.test(text) });
  });
  return out;
}

/** How the repository writes its commit subjects, as instructions for the model. */
export function describeCommitStyle(subjects: readonly string[]): string {
  const usable = subjects.map((s) => s.trim()).filter((s) => s !== "" && !/^Merge /.test(s));
  if (usable.length === 0) return "Write a concise subject line in the imperative mood, at most 72 characters.";
  const share = (test: (s: string) => boolean) => usable.filter(test).length / usable.length;
  const rules: string[] = [];
  const conventional = usable.map((s) => /^(\w+)(\([^)]*\))?!?: /.exec(s)).filter((m): m is RegExpExecArray => m !== null);
  if (conventional.length / usable.length >= 0.5) {
    const types = [...new Set(conventional.map((m) => m[1]))].slice(0, 8);
    rules.push(`Use Conventional Commits: \`type(scope): subject\`, with the types this repository uses (${types.join(", ")}).`);
  }
  const afterPrefix = (s: string) => s.replace(/^(\w+)(\([^)]*\))?!?: /, "");
  rules.push(
    share((s) => /^[A-Z]/.test(afterPrefix(s))) >= 0.5
      ? "Start the subject with a capital letter."
      : "Start the subject with a lower-case letter.",
  );
  rules.push(share((s) => s.endsWith(".")) >= 0.5 ? "End the subject with a period." : "Do not end the subject with a period.");
  const lengths = usable.map((s) => s.length).sort((a, b) => a - b);
  const typical = lengths[Math.floor(lengths.length / 2)];
  rules.push(`Keep the subject around ${typical} characters (at most ${Math.max(50, Math.min(100, lengths[lengths.length - 1]))}).`);
  return rules.join(" ");
}

/** Inputs for {@link buildCommitMessageMessages}. */
export interface CommitMessageRequest {
  files: readonly FileDiff[];
  /** Subjects of recent commits, newest first. */
  recentSubjects: readonly string[];
  /** Prompt tokens allowed (chat-budget.ts). */
  maxInputTokens: number;
  /** Workspace-relative paths that must never reach the server. */
  isExcluded: (path: string) => boolean;
}

/** The messages, and what happened to the files on the way. */
export interface CommitMessagePrompt {
  messages: ChatMessage[];
  /** How many staged files were left out because they are excluded. */
  excludedCount: number;
  /** Files shown as a summary (their diff did not fit). */
  summarised: string[];
}

const SYSTEM = [
  "You write git commit messages for the staged changes the user shows you.",
  "Reply with the commit message only: a subject line, then, when the change needs it, a blank line and a short body saying what changed and why.",
  "No code fences, no quotes, no preamble.",
].join(" ");

/** A file too large to show whole: its counts and the hunk headers (which name the functions touched). */
function summary(file: FileDiff): string {
  const hunks = file.text
    .split("\n")
    .filter((l) => l.startsWith("@@"))
    .slice(0, 12);
  return [
    `${file.path}: ${file.binary ? "binary file changed" : `+${file.added} −${file.removed} lines (diff too large to show whole)`}`,
    ...hunks,
  ].join("\n");
}

/**
 * Messages for a commit message. Every file gets an equal share of the budget; a file whose
 * diff is larger is summarised (counts and hunk headers), and the shares it leaves go to the next.
 */
export function buildCommitMessageMessages(request: CommitMessageRequest): CommitMessagePrompt {
  const files = request.files.filter((f) => !request.isExcluded(f.path));
  const excludedCount = request.files.length - files.length;
  const style = describeCommitStyle(request.recentSubjects);
  const examples = request.recentSubjects
    .slice(0, 10)
    .map((s) => `- ${s}`)
    .join("\n");
  const head = [`Style of this repository: ${style}`, examples ? `Recent subjects:\n${examples}` : "", "Staged changes:"]
    .filter(Boolean)
    .join("\n\n");
  let budget = request.maxInputTokens - estimateTokens(SYSTEM) - estimateTokens(head) - 2 * MESSAGE_OVERHEAD_TOKENS - 32;
  const parts: string[] = [];
  const summarised: string[] = [];
  files.forEach((file, i) => {
    const share = Math.floor(budget / (files.length - i));
    const whole = `\`\`\`diff\n${file.text}\n\`\`\``;
    let part: string;
    if (!file.binary && estimateTokens(whole) <= share) part = whole;
    else {
      summarised.push(file.path);
      part = keepHead(summary(file), tokensToChars(Math.max(0, share)));
    }
    if (part.trim() === "") return;
    parts.push(part);
    budget -= estimateTokens(part) + 1;
  });
  if (excludedCount > 0)
    parts.push(`(${excludedCount} more staged file${excludedCount > 1 ? "s" : ""} not shown: excluded from AI context.)`);
  return {
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: `${head}\n\n${parts.join("\n\n")}` },
    ],
    excludedCount,
    summarised,
  };
}

/** The message from a reply: no fences, quotes or "Commit message:" label; trimmed. */
export function commitMessageFromReply(reply: string): string {
  return codeFromReply(reply)
    .replace(/^\s*(?:commit message:\s*)/i, "")
    .replace(/^(["'`])([\s\S]*)\1$/, "$2")
    .trim();
}
