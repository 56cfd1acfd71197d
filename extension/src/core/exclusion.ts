/**
 * Which files never reach the model (as completion target or as context): `.gitignore`d files,
 * VS Code's `files.exclude`, and the `aicockpit.exclude` globs (secrets by default).
 */
import { type GitignoreRule, gitignoreMatch, parseGitignore } from "./gitignore";
import { globToRegExp, normalizePath } from "./glob";
import { LruCache } from "./lru";

/** Defaults of `aicockpit.exclude`: env files, keys and certificates. */
export const DEFAULT_EXCLUDE: readonly string[] = [".env*", "**/.env*", "*.pem", "*.key", "id_rsa*"];

/** What to exclude. Paths are workspace-relative with `/` separators. */
export interface ExclusionConfig {
  /** `aicockpit.exclude`. A glob without `/` matches the file name at any depth. */
  exclude?: readonly string[];
  /** VS Code `files.exclude` (glob → true; `false` and `{ when }` entries are ignored). */
  filesExclude?: Readonly<Record<string, unknown>>;
  /** Contents of `.gitignore` files and the folder each was found in ("" = root). */
  gitignores?: readonly { dir: string; text: string }[];
}

interface GlobRule {
  regex: RegExp;
  source: string;
}

function compileGlobs(globs: Iterable<string>, anyDepthWithoutSlash: boolean): GlobRule[] {
  const out: GlobRule[] = [];
  for (const glob of globs) {
    const trimmed = normalizePath(glob.trim());
    if (!trimmed) continue;
    const pattern = anyDepthWithoutSlash && !trimmed.includes("/") ? `**/${trimmed}` : trimmed;
    out.push({ regex: globToRegExp(pattern), source: glob });
  }
  return out;
}

/** Tests a path and each of its parent folders (an excluded folder excludes its contents). */
function matchesSelfOrParent(rules: readonly GlobRule[], path: string): GlobRule | undefined {
  for (const rule of rules) {
    if (rule.regex.test(path)) return rule;
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      if (rule.regex.test(path.slice(0, slash))) return rule;
    }
  }
  return undefined;
}

/** Decides exclusion for paths; results are memoised (the same files are asked per keystroke). */
export class ExclusionMatcher {
  private readonly own: GlobRule[];
  private readonly filesExclude: GlobRule[];
  private readonly gitignore: GitignoreRule[];
  private readonly memo = new LruCache<string, string | null>(2_000);

  constructor(config: ExclusionConfig) {
    this.own = compileGlobs(config.exclude ?? DEFAULT_EXCLUDE, true);
    const active = Object.entries(config.filesExclude ?? {})
      .filter(([, on]) => on === true)
      .map(([glob]) => glob);
    this.filesExclude = compileGlobs(active, false);
    const gitignores = [...(config.gitignores ?? [])].sort((a, b) => depth(a.dir) - depth(b.dir));
    this.gitignore = gitignores.flatMap((g) => parseGitignore(g.text, g.dir));
  }

  /** True when the file must not be sent to the model nor completed. */
  isExcluded(path: string): boolean {
    return this.reason(path) !== undefined;
  }

  /** Why a path is excluded (for the log), or undefined. */
  reason(path: string): string | undefined {
    const normalized = normalizePath(path);
    const memo = this.memo.get(normalized);
    if (memo !== undefined) return memo ?? undefined;
    const result = this.compute(normalized);
    this.memo.set(normalized, result ?? null);
    return result;
  }

  private compute(path: string): string | undefined {
    const own = matchesSelfOrParent(this.own, path);
    if (own) return `aicockpit.exclude: ${own.source}`;
    const vscode = matchesSelfOrParent(this.filesExclude, path);
    if (vscode) return `files.exclude: ${vscode.source}`;
    const git = gitignoreMatch(this.gitignore, path);
    if (git) return `.gitignore${git.baseDir ? ` in ${git.baseDir}` : ""}: ${git.source}`;
    return undefined;
  }
}

function depth(dir: string): number {
  const normalized = normalizePath(dir);
  return normalized === "" ? 0 : normalized.split("/").length;
}

/** Shorthand for `new ExclusionMatcher(config)`. */
export function createExclusionMatcher(config: ExclusionConfig): ExclusionMatcher {
  return new ExclusionMatcher(config);
}
