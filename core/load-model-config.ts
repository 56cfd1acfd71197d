/**
 * Reads a model's config.json for the loader and the plan CLI. An environment file is untrusted
 * input: the path it names is resolved against the environment file's folder and must stay inside
 * `root` (the repository when the environment lives in it), be a regular `.json` file and be small.
 */
import fs from "node:fs";
import path from "node:path";

/** config.json files are a few KiB; a larger file is not one. */
export const MODEL_CONFIG_MAX_BYTES = 1024 * 1024;

/** The repository the kit runs from: environment files inside it may name config.json files anywhere in it. */
export const REPOSITORY_ROOT = path.resolve(__dirname, "..");

export type ModelConfigFile = { ok: true; json: unknown } | { ok: false; message: string; fix: string };

/**
 * Reads and parses `configPath`. Relative paths are resolved against `baseDir`. With `root`,
 * a path (after following symbolic links) outside it is refused.
 */
export function readModelConfigFile(configPath: string, baseDir: string, root?: string): ModelConfigFile {
  if (!configPath.endsWith(".json")) {
    return { ok: false, message: `${configPath} is not a .json file`, fix: "give the path of the model's config.json" };
  }
  const resolved = path.resolve(baseDir, configPath);
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    return {
      ok: false,
      message: `no file at ${configPath} (resolved to ${resolved})`,
      fix: "download the model's config.json and give its path",
    };
  }
  if (root !== undefined && !isInside(real, fs.realpathSync(root))) {
    return {
      ok: false,
      message: `${configPath} is outside ${root}`,
      fix: `copy the config.json into ${root} and give a path inside it`,
    };
  }
  const stat = fs.statSync(real);
  if (!stat.isFile()) return { ok: false, message: `${configPath} is not a file`, fix: "give the path of the model's config.json" };
  if (stat.size > MODEL_CONFIG_MAX_BYTES) {
    return {
      ok: false,
      message: `${configPath} has ${stat.size} bytes; a config.json has a few thousand`,
      fix: `give the model's config.json (at most ${MODEL_CONFIG_MAX_BYTES} bytes)`,
    };
  }
  try {
    return { ok: true, json: JSON.parse(fs.readFileSync(real, "utf8")) };
  } catch (error) {
    return {
      ok: false,
      message: `${configPath} is not valid JSON (${(error as Error).message})`,
      fix: "give the model's config.json as downloaded from its Hugging Face repo",
    };
  }
}

/** The folder an environment file may reach config.json files in: the repository if it lives there, else its own folder. */
export function modelConfigRoot(environmentFile: string): string {
  const file = path.resolve(environmentFile);
  return isInside(file, REPOSITORY_ROOT) ? REPOSITORY_ROOT : path.dirname(file);
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
