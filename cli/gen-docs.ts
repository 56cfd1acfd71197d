/**
 * `npm run docs:gen`: writes the files generated from the environment schema and the catalogs.
 * The JSON Schema sits in environments/ beside the files it describes, so a shipped file's
 * `# yaml-language-server: $schema=schema.json` line keeps working in a copy made next to it.
 * test/docs fails when a committed file differs from what this would write.
 */
import fs from "node:fs";
import path from "node:path";
import { environmentJsonSchema } from "../core/schema/json-schema";
import { renderEnvironmentReference } from "./environment-reference";

export const REPO_ROOT = path.resolve(__dirname, "..");
/** Repository-relative paths of the generated files. */
export const ENVIRONMENT_SCHEMA_FILE = "environments/schema.json";
export const ENVIRONMENT_REFERENCE_FILE = "docs/environment-reference.md";

export interface GeneratedFile {
  /** Path relative to the repository root. */
  readonly file: string;
  readonly text: string;
}

export function generatedDocs(): GeneratedFile[] {
  const schema = environmentJsonSchema();
  const schemaFromReference = path.relative(path.dirname(ENVIRONMENT_REFERENCE_FILE), ENVIRONMENT_SCHEMA_FILE);
  return [
    { file: ENVIRONMENT_SCHEMA_FILE, text: `${JSON.stringify(schema, null, 2)}\n` },
    { file: ENVIRONMENT_REFERENCE_FILE, text: renderEnvironmentReference(schema, schemaFromReference) },
  ];
}

function main(): void {
  for (const { file, text } of generatedDocs()) {
    const target = path.join(REPO_ROOT, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (current === text) {
      console.log(`unchanged ${file}`);
    } else {
      fs.writeFileSync(target, text);
      console.log(`wrote ${file}`);
    }
  }
}

if (require.main === module) main();
