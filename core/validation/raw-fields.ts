/**
 * Reading the environment file as written, before the schema's defaults: what the stages that ask
 * "did the file set this?" need (a default is not "set"). Anything that is not what a path
 * expects reads as absent; the schema has already judged the types.
 */

/** The fields of a mapping; none for anything else. */
export function fieldsOf(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The mapping at `key`, if that is one. */
export function objectAt(data: unknown, key: string): Record<string, unknown> | undefined {
  const value = fieldsOf(data)[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The list at `key`, or an empty one. */
export function arrayAt(data: unknown, key: string): unknown[] {
  const value = fieldsOf(data)[key];
  return Array.isArray(value) ? value : [];
}

/** Whether the file sets a value (not null) at `path`. */
export function isSet(data: unknown, path: readonly string[]): boolean {
  let value: unknown = data;
  for (const key of path) {
    const fields = fieldsOf(value);
    if (!(key in fields)) return false;
    value = fields[key];
  }
  return value !== undefined && value !== null;
}
