/** Proof that a run wrote nothing under the real HOME: modification times before and after. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// npm writes its own debug logs under ~/.npm when it runs the test script: not the run's doing.
const NOT_OURS = [path.join(os.homedir(), ".npm")];

export type HomeSnapshot = Map<string, number>;

export function homeSnapshot(dir = os.homedir(), depth = 4): HomeSnapshot {
  const seen: HomeSnapshot = new Map();
  const walk = (current: string, level: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (NOT_OURS.some((skip) => full === skip || full.startsWith(`${skip}/`))) continue;
      try {
        seen.set(full, fs.lstatSync(full).mtimeMs);
      } catch {
        continue;
      }
      if (entry.isDirectory() && level < depth) walk(full, level + 1);
    }
  };
  walk(dir, 0);
  return seen;
}

/** Paths created or modified since `before` was taken. */
export function homeChangesSince(before: HomeSnapshot, dir = os.homedir()): string[] {
  return [...homeSnapshot(dir)].filter(([file, mtime]) => before.get(file) !== mtime).map(([file]) => file);
}
