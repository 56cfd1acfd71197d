/** Fenced code blocks in Markdown replies (``` or ~~~, with an optional info string). */

/** One fenced block. `complete` is false for a block still open at the end (mid-stream). */
export interface CodeBlock {
  language: string;
  code: string;
  complete: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** All fenced blocks, in order. */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let open: { fence: string; language: string; lines: string[] } | undefined;
  for (const line of lines) {
    if (!open) {
      const m = FENCE.exec(line);
      if (m) open = { fence: m[1], language: m[2].toLowerCase(), lines: [] };
      continue;
    }
    const trimmed = line.trim();
    // A closing fence uses the same character, at least as long, and nothing after it.
    if (trimmed.startsWith(open.fence[0].repeat(open.fence.length)) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === open.fence[0]) {
      blocks.push({ language: open.language, code: open.lines.join("\n"), complete: true });
      open = undefined;
    } else open.lines.push(line);
  }
  if (open) blocks.push({ language: open.language, code: open.lines.join("\n"), complete: false });
  return blocks;
}

/**
 * The code of a reply that should be only code: its first fenced block, or the whole reply
 * when the model left the fences out.
 */
export function codeFromReply(reply: string): string {
  const blocks = extractCodeBlocks(reply);
  if (blocks.length > 0) return blocks[0].code;
  return reply.replace(/^\s*\n/, "").replace(/\s+$/, "");
}
