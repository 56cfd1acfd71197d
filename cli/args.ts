/** Minimal `--flag value` / `--flag=value` / `--switch` parsing with errors that name the flag. */
export type ParsedArgs = Record<string, string | true>;

export function parseArgs(argv: string[], known: Record<string, "value" | "switch">): ParsedArgs {
  const parsed: ParsedArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument "${arg}"`);
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = known[flag];
    if (!kind) throw new UsageError(`unknown flag --${flag}; known flags: ${Object.keys(known).map((k) => `--${k}`).join(", ")}`);
    if (kind === "switch") {
      parsed[flag] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`--${flag} needs a value`);
    parsed[flag] = value;
  }
  return parsed;
}

export function numberArg(args: ParsedArgs, flag: string, options: { integer?: boolean } = {}): number | undefined {
  const raw = args[flag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag} must be ${options.integer ? "a whole number" : "a number"}, got "${String(raw)}"`);
  }
  return value;
}

export class UsageError extends Error {}
