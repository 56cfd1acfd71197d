/**
 * `${name}` placeholders in the string values of a parsed rule file. Prometheus templates use
 * `{{ … }}` and PromQL never contains `${`, so the two cannot be confused. An unknown name is
 * an error rather than a silently empty value.
 */
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

export type PlaceholderValues = Readonly<Record<string, string>>;

export function fillPlaceholders<T>(value: T, values: PlaceholderValues, where: string): T {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_match, name: string) => {
      const replacement = values[name];
      if (replacement === undefined) {
        throw new Error(`${where}: unknown placeholder \${${name}}; known: ${Object.keys(values).join(", ")}`);
      }
      return replacement;
    }) as T;
  }
  if (Array.isArray(value)) return (value as unknown[]).map((item) => fillPlaceholders(item, values, where)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, values, where)])) as T;
  }
  return value;
}
