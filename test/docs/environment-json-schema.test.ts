/**
 * The published JSON Schema, checked with a JSON Schema validator (ajv) rather than zod: what an
 * editor using it would accept and refuse. Every shipped environment points at it and passes;
 * broken files it can recognise are refused at the field synth names too.
 */
import Ajv, { type ErrorObject } from "ajv";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ENVIRONMENT_SCHEMA_FILE, REPO_ROOT } from "../../cli/gen-docs";
import { ENVIRONMENTS_DIR, listEnvironments } from "../../core/load-environment";
import { environmentSchema } from "../../core/schema";

const schemaPath = path.join(REPO_ROOT, ENVIRONMENT_SCHEMA_FILE);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
// strict: an unknown keyword or format in the generated schema is an error, not ignored.
const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(schema);
const CORPUS = path.resolve(__dirname, "../corpus");

function readYaml(file: string): unknown {
  return YAML.parse(fs.readFileSync(file, "utf8"));
}

/** ajv's error as the dotted field synth reports: `models[0].replicas`, `target.region`. */
function errorField(error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1);
  const params = error.params as { missingProperty?: string };
  if (params.missingProperty) parts.push(params.missingProperty);
  return parts.map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? "" : "."}${part}`)).join("");
}

it("is a valid draft-07 JSON Schema", () => {
  expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  expect(ajv.validateSchema(schema)).toBe(true);
});

describe.each(listEnvironments())("environments/%s.yaml", (name) => {
  const file = path.join(ENVIRONMENTS_DIR, `${name}.yaml`);

  it("names the JSON Schema on its first line, by a path relative to the file", () => {
    const first = fs.readFileSync(file, "utf8").split("\n")[0];
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match).not.toBeNull();
    expect(path.resolve(path.dirname(file), match?.[1] ?? "")).toBe(schemaPath);
  });

  it("is valid against the JSON Schema", () => {
    const valid = validate(readYaml(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

it("accepts a file that leaves every field with a default out, as synth does", () => {
  const minimal = {
    target: { kind: "kubernetes", context: "lab" },
    image: { tag: "v0.11.0" },
    gpuPools: [{ name: "gpu", gpu: "L4", gpusPerNode: 1, nodes: 1 }],
    models: [{ servedName: "coder", model: "qwen2.5-coder-7b-instruct", role: "both", pool: "gpu" }],
  };
  expect(environmentSchema.safeParse(minimal).success).toBe(true);
  expect(validate(minimal)).toBe(true);
});

/** Broken files from test/corpus whose fault JSON Schema can express (the others need synth's checks). */
const REFUSED = [
  "unknown-key",
  "negative-replicas",
  "wrong-type",
  "aws-missing-region",
  "missing-kubeconfig-context",
  "aws-allowlist-not-cidr",
];

describe.each(REFUSED)("test/corpus/%s.yaml", (name) => {
  it("is refused, naming the field synth names", () => {
    const text = fs.readFileSync(path.join(CORPUS, `${name}.yaml`), "utf8");
    const expected = /^# expect: (\S+) — /.exec(text)?.[1] ?? "";
    expect(validate(YAML.parse(text))).toBe(false);
    const fields = (validate.errors ?? []).map(errorField);
    // An unknown key is reported at its object (additionalProperties), synth names the key itself.
    expect(fields.some((field) => field === expected || expected.startsWith(`${field}.`))).toBe(true);
  });
});
