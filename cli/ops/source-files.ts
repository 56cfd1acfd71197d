/**
 * Source files a FIM workload is cut from: code files under a folder (the repository itself by
 * default), skipping dependencies and build output, bounded in count and size.
 */
import fs from "node:fs";
import path from "node:path";
import type { SourceText } from "../../core/ops/fim-cases";

const CODE_EXTENSIONS = new Set([
  ".ts",
  ".tsx",
  ".js",
  ".mjs",
  ".py",
  ".go",
  ".rs",
  ".java",
  ".kt",
  ".c",
  ".cc",
  ".cpp",
  ".h",
  ".cs",
  ".rb",
  ".php",
  ".swift",
  ".scala",
  ".sh",
]);
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".git",
  "dist",
  "out",
  "build",
  "cdktf.out",
  "coverage",
  ".terraform",
  "test-results",
  ".e2e-artifacts",
]);
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 200_000;

export function readSourceTexts(root: string): SourceText[] {
  const texts: SourceText[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (texts.length >= MAX_FILES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) walk(full);
      } else if (entry.isFile() && CODE_EXTENSIONS.has(path.extname(entry.name))) {
        try {
          if (fs.statSync(full).size > MAX_FILE_BYTES) continue;
          texts.push({ path: path.relative(root, full), text: fs.readFileSync(full, "utf8") });
        } catch {
          // Unreadable: skipped, the others are enough.
        }
      }
    }
  };
  walk(root);
  return texts;
}

/** The repository's root (this file is cli/ops/source-files.ts). */
export const REPOSITORY_ROOT = path.resolve(__dirname, "../..");
