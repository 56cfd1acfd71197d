/**
 * "Explain last terminal failure": a prompt from the failed command and its output, and the
 * parser that pulls the proposed fix command out of the reply. The command is only proposed;
 * the user decides to run it.
 */
import { type ChatMessage, fencedCode } from "./chat-prompts";
import { extractCodeBlocks } from "./code-blocks";
import { keepTail } from "./tokens";

/** What shell integration told us about the failure. */
export interface TerminalFailure {
  commandLine: string;
  output: string;
  exitCode?: number;
  cwd?: string;
  shell?: string;
  os?: string;
}

const SHELL_LANGUAGES = new Set([
  "",
  "sh",
  "bash",
  "shell",
  "zsh",
  "fish",
  "console",
  "shellscript",
  "powershell",
  "pwsh",
  "ps1",
  "cmd",
  "bat",
]);

/** Messages asking for an explanation and exactly one fix command in a fenced block. */
export function buildTerminalFailureMessages(failure: TerminalFailure, maxOutputChars = 8_000): ChatMessage[] {
  const shell = failure.shell ?? "sh";
  const facts = [
    `Command: \`${failure.commandLine}\``,
    failure.exitCode === undefined ? undefined : `Exit code: ${failure.exitCode}`,
    failure.cwd ? `Working directory: ${failure.cwd}` : undefined,
    `Shell: ${shell}${failure.os ? ` on ${failure.os}` : ""}`,
  ].filter(Boolean);
  // Errors are at the end of the output: keep the tail.
  const output = keepTail(failure.output, maxOutputChars);
  return [
    {
      role: "system",
      content:
        "You help developers understand failed terminal commands. Explain the cause briefly in Markdown. " +
        `Then propose exactly one command that fixes or works around it, alone in a fenced code block tagged \`${shell}\`. ` +
        "Never propose destructive commands (rm -rf, force pushes, dropping data) unless the user clearly asked for that.",
    },
    { role: "user", content: `${facts.join("\n")}\n\n${fencedCode(output, "plaintext", "Output:")}` },
  ];
}

/** The proposed fix command: the last shell-tagged (or untagged) block, without `$ ` prompts. */
export function parseFixCommand(reply: string): string | undefined {
  const blocks = extractCodeBlocks(reply).filter((b) => b.complete && SHELL_LANGUAGES.has(b.language));
  const last = blocks[blocks.length - 1];
  if (!last) return undefined;
  const command = last.code
    .split("\n")
    .map((line) => line.replace(/^\s*(?:\$|>|PS [^>]*>)\s+/, ""))
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
    .join("\n")
    .trim();
  return command === "" ? undefined : command;
}
