import { EnvironmentError, issuesFromZod, schemaKeys } from "../errors";
import { environmentSchema, type EnvironmentConfig } from "../schema";

const KNOWN_KEYS = schemaKeys(environmentSchema);

/** Every field's type, range and format (core/schema); a problem stops the pass. */
export function checkSchema(file: string, data: unknown): EnvironmentConfig {
  const parsed = environmentSchema.safeParse(data);
  if (!parsed.success) throw new EnvironmentError(issuesFromZod(file, parsed.error, KNOWN_KEYS));
  return parsed.data;
}
