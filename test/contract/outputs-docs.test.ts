/**
 * docs/outputs.md against the outputs contract (core/contract/outputs.ts): every field of an
 * `endpoint_<model>` output is documented with its type or values, nothing else is, and the
 * example file is one the extension reads.
 */
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import {
  ENDPOINT_OUTPUT_PREFIX,
  ENVIRONMENT_OUTPUT_ID,
  FIM_TEMPLATES,
  MODEL_ROLES,
  endpointOutputId,
  endpointOutputSchema,
} from "../../core/contract/outputs";
import { parseDeploymentOutputs } from "../../extension/src/core/outputs";

const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "outputs.md"), "utf8");

/** Rows (cells, trimmed) of the first table after the line containing `marker`, header excluded. */
function tableAfter(marker: string): string[][] {
  const lines = doc.split("\n");
  const start = lines.findIndex((line) => line.includes(marker));
  expect([marker, start >= 0]).toEqual([marker, true]);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("|")) table.push(line);
    else if (table.length > 0) break;
  }
  // Cells split on `|` not escaped as `\|`; the first and last split parts are outside the table.
  return table.slice(2).map((row) =>
    row
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

/** `` `name` `` → name. */
const unquote = (cell: string) => cell.replace(/^`|`$/g, "");

/** The values of an enum cell: `` `"a"` \| `"b"` `` → [a, b]. */
const enumValues = (cell: string) => [...cell.matchAll(/`"([^"`]+)"`/g)].map((m) => m[1]);

/** How the page must describe a schema field: its values for an enum, else its JSON type. */
function documentedType(field: z.ZodType): string | string[] {
  // An optional field is documented by its type (the page says when it may be absent).
  const outer = field._zod.def as { type: string; innerType?: z.ZodType };
  const def = (outer.type === "optional" && outer.innerType ? outer.innerType._zod.def : outer) as {
    type: string;
    entries?: Record<string, string>;
  };
  return def.type === "enum" ? Object.values(def.entries ?? {}) : def.type;
}

const endpointRows = tableAfter("An `endpoint_<model>` object");
const documented = new Map(endpointRows.map(([name, type]) => [unquote(name), type]));
const shape = endpointOutputSchema.shape as Record<string, z.ZodType>;

describe("docs/outputs.md matches the outputs contract", () => {
  test("documents every field of an endpoint output, and no field the schema lacks", () => {
    expect(endpointRows.length).toBeGreaterThan(0);
    expect([...documented.keys()].sort()).toEqual(Object.keys(shape).sort());
  });

  test("documents each field's type, or its values in the contract's order", () => {
    for (const [field, schema] of Object.entries(shape)) {
      const expected = documentedType(schema);
      const cell = documented.get(field) ?? "";
      expect([field, Array.isArray(expected) ? enumValues(cell) : cell]).toEqual([field, expected]);
    }
  });

  test("lists the contract's roles and FIM templates", () => {
    expect(enumValues(documented.get("role") ?? "")).toEqual([...MODEL_ROLES]);
    expect(enumValues(documented.get("fim_template") ?? "")).toEqual([...FIM_TEMPLATES]);
  });

  test("names the stack outputs the extension looks for", () => {
    const outputs = tableAfter("## Outputs of one stack").map(([name, type]) => [unquote(name), type]);
    expect(outputs).toEqual(
      expect.arrayContaining([
        [ENVIRONMENT_OUTPUT_ID, "string"],
        [`${ENDPOINT_OUTPUT_PREFIX}<model>`, "object"],
      ]),
    );
  });

  test("its example file is read by the extension, with the contract's output ids and no undocumented field", () => {
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
    const result = parseDeploymentOutputs(example, "docs/outputs.md");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings).toEqual([]);
    expect(result.endpoints.length).toBeGreaterThan(0);
    const stacks = JSON.parse(example) as Record<string, Record<string, unknown>>;
    for (const endpoint of result.endpoints) {
      expect(endpoint.outputName).toBe(endpointOutputId(endpoint.servedModelName));
      expect(endpointOutputSchema.strict().safeParse(stacks[endpoint.stack][endpoint.outputName]).success).toBe(true);
    }
  });
});
