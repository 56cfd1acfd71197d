import fs from "node:fs";
import path from "node:path";

/** The files of a monitoring/ source folder ending in `suffix`, in name order, with their text. */
export function readSourceFiles(dir: string, suffix: string): { fileName: string; text: string }[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((fileName) => ({ fileName, text: fs.readFileSync(path.join(dir, fileName), "utf8") }));
}
