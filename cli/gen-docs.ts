/**
 * `npm run docs:gen`: writes the files generated from the environment schema and the catalogs.
 * The JSON Schema sits in environments/ beside the files it describes, so a shipped file's
 * `# yaml-language-server: $schema=schema.json` line keeps working in a copy made next to it.
 * test/docs fails when a committed file differs from what this would write.
 */
import fs from "node:fs";
import path from "node:path";
import { renderDecisionTable } from "../core/planning/decision-table";
import { environmentJsonSchema } from "../core/schema/json-schema";
import { renderEnvironmentReference } from "./environment-reference";

export const REPO_ROOT = path.resolve(__dirname, "..");
/** Repository-relative paths of the generated files. */
export const ENVIRONMENT_SCHEMA_FILE = "environments/schema.json";
export const ENVIRONMENT_REFERENCE_FILE = "docs/environment-reference.md";
/** The hand-written scale-out guide, whose decision table is generated between two markers. */
export const SCALE_OUT_FILE = "docs/scale-out.md";
const DECISION_TABLE_START = "<!-- generated: decision table -->";
const DECISION_TABLE_END = "<!-- end generated: decision table -->";

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
    { file: SCALE_OUT_FILE, text: withDecisionTable(fs.readFileSync(path.join(REPO_ROOT, SCALE_OUT_FILE), "utf8")) },
  ];
}

/** The guide with the planner's current table between its markers, the prose around it untouched. */
export function withDecisionTable(guide: string): string {
  const start = guide.indexOf(DECISION_TABLE_START);
  const end = guide.indexOf(DECISION_TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`${SCALE_OUT_FILE} lost its decision-table markers: ${DECISION_TABLE_START} … ${DECISION_TABLE_END}`);
  return `${guide.slice(0, start + DECISION_TABLE_START.length)}\n\n${renderDecisionTable()}\n${guide.slice(end)}`;
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
