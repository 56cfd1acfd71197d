import { parseArgs, type ParseArgsConfig } from "node:util";

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** Flag values as Node's `util.parseArgs` returns them for string and boolean options. */
export type ParsedArgs = Record<string, string | boolean | undefined>;

/**
 * Parses `--flag value`, `--flag=value` and `--switch` with Node's own parser (strict: unknown
 * flags and stray arguments are errors); its errors become a UsageError naming the flag.
 */
export function parseFlags(argv: string[], options: FlagOptions): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as ParsedArgs;
  } catch (error) {
    const known = Object.keys(options)
      .map((flag) => `--${flag}`)
      .join(", ");
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, "")} (known flags: ${known})`);
  }
}

export function numberArg(args: ParsedArgs, flag: string, options: { integer?: boolean } = {}): number | undefined {
  const raw = args[flag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be ${options.integer ? "a whole number" : "a number"}, got "${String(raw)}"`);
  }
  return value;
}

export class UsageError extends Error {}

/** A comma-separated list of positive numbers, e.g. `--concurrency 1,4,16`. */
export function numberListArg(args: ParsedArgs, flag: string, options: { integer?: boolean } = {}): number[] | undefined {
  const raw = args[flag];
  if (raw === undefined) return undefined;
  const parts = typeof raw === "string" ? raw.split(",").map((p) => p.trim()) : [];
  const values = parts.map(Number);
  if (
    parts.length === 0 ||
    parts.some((p) => p === "") ||
    values.some((v) => !Number.isFinite(v) || v <= 0 || (options.integer && !Number.isInteger(v)))
  ) {
    throw new UsageError(
      `--${flag} must be a comma-separated list of ${options.integer ? "whole numbers" : "numbers"} above 0, e.g. 1,4,16; got "${String(raw)}"`,
    );
  }
  return values;
}

/** A string flag's value, or undefined; `--flag` without a value is refused by parseFlags already. */
export function stringArg(args: ParsedArgs, flag: string): string | undefined {
  const raw = args[flag];
  return typeof raw === "string" ? raw : undefined;
}
