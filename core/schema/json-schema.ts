/**
 * The JSON Schema of an environment file, derived from the zod schema so that editors check
 * and complete environment files with the rules synth applies (as far as JSON Schema can say
 * them: refinements such as "tensorParallel divides the attention heads" stay synth's job).
 * Published as environments/schema.json by `npm run docs:gen`; docs/environment-reference.md
 * is rendered from the same object.
 */
import { z } from "zod";
import { environmentSchema } from "./index";

export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * Draft 7: the YAML language server behind VS Code's YAML extension "supports JSON Schema 7 and
 * below" (its README, yaml-language-server 1.19.2 on the npm registry, read 2026-11-26). It resolves
 * a relative `$schema=` path in the modeline against the YAML file's folder (its
 * getSchemaForResource, redhat-developer/yaml-language-server, read 2026-11-26).
 */
const TARGET = "draft-07";

export function environmentJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(environmentSchema, {
    target: TARGET,
    // The file as written, not as parsed: fields with a default may be left out (zod.dev/json-schema,
    // "io"; refinements are not carried over: zod 4.6.7's converter only maps its built-in checks).
    io: "input",
    // Nothing in the schema is unrepresentable today; should something become so, it turns
    // into an open schema ({}) rather than breaking the build, and the reference test names
    // the field that lost its type.
    unrepresentable: "any",
    override: ({ jsonSchema }) => dropNonStandardKeywords(jsonSchema),
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: "AiCockpit environment file",
    description:
      "One environment of AiCockpit (environments/<name>.yaml): the target cluster, GPU pools, models and their parallelism. Generated from the zod schema in core/schema by `npm run docs:gen`; synth checks more than this schema can say.",
    ...rest,
  };
}

/**
 * zod writes `format: "cidrv4"` (not a JSON Schema format; strict validators refuse it, and the
 * `pattern` beside it already says the same) and the safe-integer range on every `.int()`
 * (a bound no user sets; it would only clutter the reference).
 */
function dropNonStandardKeywords(schema: JsonSchema): void {
  if (schema.format === "cidrv4") delete schema.format;
  if (schema.type === "integer") {
    if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
    if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  }
}
