import type { z } from "zod";

/** One problem in an environment file: where it is, what is wrong, and how to fix it. */
export interface ConfigIssue {
  /** The environment file, e.g. environments/local.yaml. */
  file: string;
  /** Dotted path of the field, e.g. models[0].tensorParallel; "" for the whole file. */
  field: string;
  message: string;
  fix: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.field ? `${issue.file}: ${issue.field}` : issue.file;
  return `${where}: ${issue.message}\n  fix: ${issue.fix}`;
}

/** Raised when an environment cannot be synthesized; synth writes nothing for it. */
export class EnvironmentError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "EnvironmentError";
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`)).join("");
}

/** Turns zod's issues into ConfigIssues whose fix a user can act on. */
export function issuesFromZod(file: string, error: z.ZodError, knownKeys: readonly string[] = []): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    const field = fieldPath(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({
          file,
          field: fieldPath([...issue.path, key]),
          message: `unknown key "${key}"`,
          fix: `remove it or correct its spelling${suggestion(key, knownKeys)}`,
        }));
      case "invalid_type":
        return [invalidType(file, field, issue)];
      case "invalid_value": {
        const options = issue.values.map(String).join(", ");
        if (issue.input === undefined)
          return [{ file, field, message: "required field is missing", fix: `add ${field}: one of ${options}` }];
        return [{ file, field, message: issue.message, fix: `use one of: ${options}` }];
      }
      case "too_small":
      case "too_big":
        return [{ file, field, message: issue.message, fix: `change ${field} to a value in range` }];
      case "invalid_key": {
        // A record key the key schema refuses (a label or annotation key); zod puts the key last in the path.
        const key = String(issue.path[issue.path.length - 1]);
        const reason = issue.issues[0]?.message ?? "a key this map does not take";
        return [{ file, field, message: `the key "${key}" is not valid here`, fix: reason }];
      }
      case "custom": {
        const fix = (issue.params as { fix?: unknown } | undefined)?.fix;
        return [typeof fix === "string" ? { file, field, message: issue.message, fix } : splitFix(file, field, issue.message)];
      }
      default:
        return [splitFix(file, field, issue.message)];
    }
  });
}

/**
 * A value of the wrong type, said as such: what was expected and what the file holds. The input
 * is there because the loader parses with `reportInput` (zod leaves it out otherwise, and a
 * present value of the wrong type would read as a missing one).
 */
function invalidType(file: string, field: string, issue: z.core.$ZodIssueInvalidType): ConfigIssue {
  const missing = issue.input === undefined;
  if (!isZodDefaultMessage(issue.message)) {
    return { file, field, message: missing ? "required field is missing" : issue.message, fix: issue.message };
  }
  if (missing) return { file, field, message: "required field is missing", fix: `add ${field || "it"} (${issue.expected})` };
  if (field === "" && issue.expected === "object") {
    return {
      file,
      field,
      message: `the file holds ${describeValue(issue.input)}, not a mapping of keys`,
      fix: "write the environment as keys (target, image, gpuPools, models, …) at the top level",
    };
  }
  const expected = EXPECTED_WORDING[issue.expected] ?? issue.expected;
  return {
    file,
    field,
    message: `wrong type: expected ${expected}, got ${describeValue(issue.input)}`,
    fix: `give ${field} ${expected}${typeHint(issue.expected, issue.input)}`,
  };
}

const EXPECTED_WORDING: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
  object: "a mapping of keys",
  array: "a list",
};

/** The value as the user wrote it, in words. */
export function describeValue(value: unknown): string {
  if (value === null) return "an empty value (null)";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
    case "number":
      if (Number.isNaN(value)) return "not-a-number (.nan)";
      if (!Number.isFinite(value)) return "a number too large to represent (it reads as infinity)";
      return `the number ${value}`;
    case "boolean":
      return `the boolean ${value}`;
    case "object":
      return "a mapping of keys";
    default:
      return typeof value;
  }
}

/** What YAML 1.2 did with what the user probably meant. */
function typeHint(expected: string, input: unknown): string {
  if (expected === "boolean" && typeof input === "string" && /^(yes|no|on|off|y|n)$/i.test(input)) {
    return ` (YAML 1.2 reads ${input} as a string, not a boolean)`;
  }
  if (
    (expected === "number" || expected === "int") &&
    typeof input === "string" &&
    /^[-+]?(0o[0-7]+|0x[0-9a-f]+|\.(inf|nan))$/i.test(input)
  ) {
    return " written in decimal (octal, hexadecimal, .inf and .nan are not read as numbers)";
  }
  if (expected === "string" && typeof input === "number") return ` (quote it: "${String(input)}")`;
  return "";
}

/** zod's own wording; a schema's custom message says more and is kept. */
function isZodDefaultMessage(message: string): boolean {
  return message.startsWith("Invalid input");
}

/**
 * Custom messages in the schema are written "problem; fix" or "fix" alone,
 * so the fix part is what the user should do.
 */
function splitFix(file: string, field: string, message: string): ConfigIssue {
  const at = message.indexOf("; ");
  if (at > 0) return { file, field, message: message.slice(0, at), fix: message.slice(at + 2) };
  return { file, field, message: "invalid value", fix: message };
}

function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(key.length / 4) + 1);
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ? ` (did you mean "${best}"?)` : "";
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Every object key a schema accepts, at any depth: the vocabulary for "did you mean" hints. */
export function schemaKeys(schema: z.core.$ZodType): string[] {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: z.core.$ZodType | undefined): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === "object") {
      for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
        keys.add(key);
        visit(child);
      }
    }
    for (const child of ["innerType", "element", "valueType", "in", "out"]) visit(def[child] as z.core.$ZodType);
    for (const option of (def.options as z.core.$ZodType[] | undefined) ?? []) visit(option);
  };
  visit(schema);
  return [...keys];
}
