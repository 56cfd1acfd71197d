import { EnvironmentError, issuesFromZod, schemaKeys } from "../errors";
import { environmentSchema, type EnvironmentConfig } from "../schema";

const KNOWN_KEYS = schemaKeys(environmentSchema);

/** Every field's type, range and format (core/schema); a problem stops the pass. */
export function checkSchema(file: string, data: unknown): EnvironmentConfig {
  // reportInput: a present value of the wrong type must not read as a missing one (core/errors.ts).
  const parsed = environmentSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new EnvironmentError(issuesFromZod(file, parsed.error, KNOWN_KEYS));
  return parsed.data;
}
