/**
 * Renders docs/environment-reference.md: every field of an environment file (path, type,
 * default, limits, description, example) read off the file's JSON Schema, and the catalogs a
 * file names GPUs, models and instance types from. Pure; `npm run docs:gen` writes the result
 * and a test fails when the committed file differs.
 */
import YAML from "yaml";
import { z } from "zod";
import { AWS_GPU_INSTANCES } from "../core/catalog/aws-instances";
import { GPU_CATALOG } from "../core/catalog/gpus";
import { MODEL_CATALOG } from "../core/catalog/models";
import type { JsonSchema } from "../core/schema/json-schema";

/** One field of an environment file as the reference documents it. */
export interface FieldDoc {
  /** Dotted path, `[]` for list items: `gpuPools[].instanceType`. */
  readonly path: string;
  /** The union branch the field belongs to, e.g. `kind: aws`; absent outside unions. */
  readonly variant?: string;
  /** Markdown: `string`, `list of string`, a link to the object's own table, … */
  readonly type: string;
  readonly required: boolean;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** Markdown fragments: `1–16`, `pattern …`, `one of …`. */
  readonly limits: readonly string[];
  readonly description?: string;
  readonly example?: unknown;
  /** True when the field is an object documented in a table of its own. */
  readonly hasOwnTable: boolean;
}

/** The fields of one object: the top level, `target` for `kind: aws`, `gpuPools[]`, … */
export interface FieldTable {
  readonly anchor: string;
  readonly path: string;
  readonly variant?: string;
  readonly description?: string;
  readonly fields: readonly FieldDoc[];
}

type Schema = JsonSchema;

/** Every object of the environment schema as a table of its fields, parents before children. */
export function fieldTables(root: Schema): FieldTable[] {
  return objectTables(root, "", undefined, undefined, undefined);
}

/** `variant` labels this table; `inherited` the tables of fields below it (the same unless a branch is named by a key of its own). */
function objectTables(
  schema: Schema,
  path: string,
  variant: string | undefined,
  description: string | undefined,
  inherited: string | undefined,
): FieldTable[] {
  const required = new Set(schema.required ?? []);
  const fields: FieldDoc[] = [];
  const nested: FieldTable[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (typeof property === "boolean") continue;
    const fieldPath = path ? `${path}.${key}` : key;
    const shape = describeType(property, fieldPath, inherited);
    nested.push(...shape.tables);
    const catalog = CATALOG_FIELDS[fieldPath];
    fields.push({
      path: fieldPath,
      variant,
      type: shape.type,
      required: required.has(key),
      hasDefault: "default" in property,
      default: property.default,
      limits: [...(catalog ? [catalog] : []), ...limitsOf(property)],
      description: property.description,
      example: exampleOf(property),
      hasOwnTable: shape.tables.some((table) => table.path === fieldPath || table.path === `${fieldPath}[]`),
    });
  }
  return [{ anchor: anchorOf(path, variant), path, variant, description, fields }, ...nested];
}

function describeType(schema: Schema, path: string, variant: string | undefined): { type: string; tables: FieldTable[] } {
  const branches = (schema.oneOf ?? schema.anyOf)?.filter((b): b is Schema => typeof b !== "boolean");
  if (branches) {
    const parts = branches.map((branch) => {
      if (!isObjectWithFields(branch)) return describeType(branch, path, variant);
      const label = branchLabel(branch, branches);
      const title = joinVariant(variant, label.text);
      // Fields below a branch named by one of its keys carry that key in their path already.
      const tables = objectTables(branch, path, title, branch.description, label.constant ? title : variant);
      return { type: `[object (${code(label.text)})](#${tables[0].anchor})`, tables };
    });
    return { type: parts.map((p) => p.type).join(" or "), tables: parts.flatMap((p) => p.tables) };
  }
  if (isObjectWithFields(schema)) {
    return { type: `[object](#${anchorOf(path, variant)})`, tables: objectTables(schema, path, variant, schema.description, variant) };
  }
  if (schema.type === "object" && typeof schema.additionalProperties === "object") {
    return { type: `map of string to ${describeType(schema.additionalProperties, path, variant).type}`, tables: [] };
  }
  if (schema.type === "array" && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    const items = schema.items;
    if (isObjectWithFields(items)) {
      const itemsPath = `${path}[]`;
      return {
        type: `list of [objects](#${anchorOf(itemsPath, variant)})`,
        tables: objectTables(items, itemsPath, variant, items.description, variant),
      };
    }
    return { type: `list of ${describeType(items, path, variant).type}`, tables: [] };
  }
  return { type: typeof schema.type === "string" ? schema.type : "any", tables: [] };
}

function isObjectWithFields(schema: Schema): boolean {
  return schema.type === "object" && schema.properties !== undefined;
}

/**
 * `kind: aws` when the branches share a constant field (a discriminator), else the branch's
 * own constant (`generate: true`), else its first required key (`existingSecret`).
 */
function branchLabel(branch: Schema, branches: Schema[]): { text: string; constant: boolean } {
  const constantOf = (schema: Schema, key: string): unknown => {
    const property = schema.properties?.[key];
    return typeof property === "object" ? property.const : undefined;
  };
  const keys = Object.keys(branch.properties ?? {});
  const discriminator = keys.find((key) => branches.every((b) => constantOf(b, key) !== undefined));
  const constant = discriminator ?? keys.find((key) => constantOf(branch, key) !== undefined);
  if (constant !== undefined) return { text: `${constant}: ${yamlValue(constantOf(branch, constant))}`, constant: true };
  return { text: branch.required?.[0] ?? keys[0] ?? "object", constant: false };
}

function joinVariant(outer: string | undefined, inner: string): string {
  return outer ? `${outer}, ${inner}` : inner;
}

function anchorOf(path: string, variant: string | undefined): string {
  const text = `${path || "top-level"}${variant ? `-with-${variant}` : ""}`;
  return text
    .replace(/\[\]/g, "-items")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

function limitsOf(schema: Schema): string[] {
  const limits: string[] = [];
  if (schema.enum) limits.push(`one of ${schema.enum.map((v) => code(yamlValue(v))).join(", ")}`);
  if (schema.const !== undefined) limits.push(`exactly ${code(yamlValue(schema.const))}`);
  const exclusive = (bound: number | boolean | undefined) => (typeof bound === "number" ? bound : undefined);
  const range = rangeOf(schema.minimum, exclusive(schema.exclusiveMinimum), schema.maximum, exclusive(schema.exclusiveMaximum));
  if (range) limits.push(range);
  const length = countRange(schema.minLength, schema.maxLength, "character");
  if (length) limits.push(length);
  const items = countRange(schema.minItems, schema.maxItems, "item");
  if (items) limits.push(items);
  if (schema.pattern) limits.push(NAMED_PATTERNS[schema.pattern] ?? `pattern ${code(schema.pattern)}`);
  if (schema.type === "array" && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
    const each = limitsOf(schema.items);
    if (each.length > 0 && !isObjectWithFields(schema.items)) limits.push(`each: ${each.join(", ")}`);
  }
  if (schema.type === "object" && typeof schema.additionalProperties === "object") {
    const each = limitsOf(schema.additionalProperties);
    if (each.length > 0) limits.push(`each value: ${each.join(", ")}`);
  }
  return limits;
}

/** Patterns too long to read, by what they accept. */
const NAMED_PATTERNS: Record<string, string> = {
  [z.core.regexes.cidrv4.source]: "an IPv4 CIDR (`a.b.c.d/n`)",
};

/** Fields whose values come from a catalog below; the schema checks them in a refinement, not with an enum. */
const CATALOG_FIELDS: Record<string, string> = {
  "gpuPools[].gpu": "a [GPU catalog](#gpus) id",
  "gpuPools[].instanceType": "an [AWS GPU instance type](#aws-gpu-instance-types)",
  "models[].model": "a [model catalog](#models) id or repo, or an inline model",
};

function rangeOf(min?: number, exclusiveMin?: number, max?: number, exclusiveMax?: number): string | undefined {
  const low = min !== undefined ? `≥ ${min}` : exclusiveMin !== undefined ? `> ${exclusiveMin}` : undefined;
  const high = max !== undefined ? `≤ ${max}` : exclusiveMax !== undefined ? `< ${exclusiveMax}` : undefined;
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  return [low, high].filter(Boolean).join(", ") || undefined;
}

function countRange(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const plural = (n: number) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (min !== undefined && max !== undefined) return `${min} to ${plural(max)}`;
  if (min !== undefined && min > 0) return `at least ${plural(min)}`;
  if (max !== undefined) return `at most ${plural(max)}`;
  return undefined;
}

/** The schema's own example; else a constant, an enum value other than the default, or the default. */
function exampleOf(schema: Schema): unknown {
  if (schema.examples && Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  const other = schema.enum?.find((value) => value !== schema.default);
  if (other !== undefined) return other;
  if (schema.type === "boolean" && typeof schema.default === "boolean") return !schema.default;
  return schema.default;
}

/** A value as it is written in an environment file (YAML flow style: `"1.34"` keeps its quotes). */
function yamlValue(value: unknown): string {
  return YAML.stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim();
}

function code(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Table cells: no line breaks, and `|` would end the cell even inside code. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/** Object defaults longer than this are the defaults of their fields, listed in the field's own table. */
const INLINE_DEFAULT_LIMIT = 60;

function defaultCell(field: FieldDoc): string {
  if (field.required) return "**required**";
  if (!field.hasDefault) return "—";
  const value = yamlValue(field.default);
  if (field.hasOwnTable && value.length > INLINE_DEFAULT_LIMIT) return "its fields' defaults";
  return code(value);
}

function exampleCell(field: FieldDoc): string {
  if (field.example === undefined || (field.hasOwnTable && field.example === field.default)) return "—";
  return code(yamlValue(field.example));
}

function tableTitle(table: FieldTable): string {
  const where = table.path ? code(table.path) : "Top level";
  return table.variant ? `${where} with ${code(table.variant)}` : where;
}

function renderTable(table: FieldTable): string {
  const rows = table.fields.map((field) =>
    [code(field.path), field.type, defaultCell(field), field.limits.join("; ") || "—", field.description ?? "", exampleCell(field)]
      .map(cell)
      .join(" | "),
  );
  return [
    `<a id="${table.anchor}"></a>`,
    `### ${tableTitle(table)}`,
    "",
    ...(table.description ? [table.description, ""] : []),
    "| field | type | default | limits | description | example |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

function renderCatalogs(tables: readonly FieldTable[]): string {
  const inlineModel = tables.find((table) => table.path === "models[].model");
  if (!inlineModel) throw new Error("the schema no longer describes an inline model under models[].model");
  const yesNo = (flag: boolean) => (flag ? "yes" : "no");
  const gpus = GPU_CATALOG.map((g) => `| ${code(g.id)} | ${g.description} | ${g.memoryMiB} | ${yesNo(g.nvlink)} | ${yesNo(g.fp8)} |`);
  const models = MODEL_CATALOG.map(
    (m) =>
      `| ${code(m.id)} | ${m.hfRepo} | ${m.parametersB} | ${m.layers} | ${m.attentionHeads} / ${m.kvHeads} | ${m.maxPositions} | ${code(m.fimTemplate)} |`,
  );
  const instances = AWS_GPU_INSTANCES.map((i) => `| ${code(i.id)} | ${code(i.gpu ?? "")} | ${i.gpus} | ${i.vcpus} | ${i.memoryGiB} |`);
  return [
    '<a id="catalogs"></a>',
    "## Catalogs",
    "",
    '<a id="gpus"></a>',
    "### GPUs",
    "",
    "`gpuPools[].gpu` on a `kubernetes` target (`core/catalog/gpus.ts`). Memory is the total `nvidia-smi` reports, which `gpuMemoryUtilization` is a fraction of.",
    "",
    "| id | GPU | memory (MiB) | NVLink | FP8 tensor cores |",
    "| --- | --- | --- | --- | --- |",
    ...gpus,
    "",
    '<a id="models"></a>',
    "### Models",
    "",
    `\`models[].model\` (\`core/catalog/models.ts\`, facts from each model's \`config.json\`); the Hugging Face repo id works too. A model outside the catalog is described inline ([the inline model's fields](#${inlineModel.anchor})).`,
    "",
    "| id | Hugging Face repo | parameters (B) | layers | attention / KV heads | max context (tokens) | FIM family |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...models,
    "",
    '<a id="aws-gpu-instance-types"></a>',
    "### AWS GPU instance types",
    "",
    "`gpuPools[].instanceType` on an `aws` target (`core/catalog/aws-instances.ts`): the GPU type and count of a pool follow from it.",
    "",
    "| instance type | GPU | GPUs | vCPUs | memory (GiB) |",
    "| --- | --- | --- | --- | --- |",
    ...instances,
  ].join("\n");
}

/** The whole of docs/environment-reference.md. `schemaFile`: the JSON Schema's path relative to docs/. */
export function renderEnvironmentReference(schema: Schema, schemaFile: string): string {
  const tables = fieldTables(schema);
  const documented = new Set(tables.flatMap((table) => table.fields.map((field) => field.path)));
  const lost = Object.keys(CATALOG_FIELDS).filter((field) => !documented.has(field));
  if (lost.length > 0) throw new Error(`catalog links name fields the schema no longer has: ${lost.join(", ")}`);
  const anchors = tables.map((table) => table.anchor);
  const clash = anchors.find((anchor, index) => anchors.indexOf(anchor) !== index);
  if (clash) throw new Error(`two tables share the anchor #${clash}`);
  const contents = tables.map((table) => `- [${tableTitle(table)}](#${table.anchor})`);
  return [
    "<!-- Generated by `npm run docs:gen` from the schema in core/schema (each field's .meta()) and the",
    "     catalogs in core/catalog. Do not edit by hand: change the schema or catalog and regenerate. -->",
    "",
    "# Environment file reference",
    "",
    "An environment is one YAML file, `environments/<name>.yaml`. This page lists every field it may hold;",
    "[environments.md](environments.md) shows how to write one and what the kit deploys from it, and",
    "[deploy-aws.md](deploy-aws.md) how to deploy an `aws` one. Keys are strict: a misspelt key is an error.",
    "",
    `Editors validate and complete environment files against the JSON Schema [${schemaFile.replace(/^\.\.\//, "")}](${schemaFile}),`,
    "generated from the same schema: every shipped file starts with",
    "`# yaml-language-server: $schema=schema.json` (VS Code needs the YAML extension). The schema says what",
    "JSON Schema can; synth checks the rest (a pool that exists, a GPU that is in the catalog, parallelism that",
    "divides the model, weights that fit) and names the field and the fix.",
    "",
    "Columns: **default** is what an absent field means (**required**: it must be set; —: see the description);",
    "**limits** are checked by the schema; values are written as in YAML (a quoted value must stay quoted).",
    "",
    "## Fields",
    "",
    ...contents,
    "",
    ...tables.flatMap((table) => [renderTable(table), ""]),
    renderCatalogs(tables),
    "",
  ].join("\n");
}
