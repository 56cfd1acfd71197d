/**
 * environments/schema.json and docs/environment-reference.md are generated from the schema in
 * core/schema: they must be what `npm run docs:gen` writes today, and document every field.
 */
import fs from "node:fs";
import path from "node:path";
import { fieldTables } from "../../cli/environment-reference";
import { ENVIRONMENT_REFERENCE_FILE, REPO_ROOT, generatedDocs } from "../../cli/gen-docs";
import { schemaKeys } from "../../core/errors";
import { environmentSchema } from "../../core/schema";
import { environmentJsonSchema } from "../../core/schema/json-schema";

describe.each(generatedDocs().map((generated) => [generated.file, generated.text] as const))("%s", (file, text) => {
  it("is what npm run docs:gen writes from the current schema", () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    if (committed !== text) {
      throw new Error(`${file} is out of date with core/schema, core/catalog or the planner: run npm run docs:gen and commit the result`);
    }
  });
});

describe("the environment reference", () => {
  const tables = fieldTables(environmentJsonSchema());
  const fields = tables.flatMap((table) => table.fields);
  const reference = fs.readFileSync(path.join(REPO_ROOT, ENVIRONMENT_REFERENCE_FILE), "utf8");

  it("documents every key the zod schema accepts", () => {
    const documented = new Set(fields.map((field) => field.path.split(".").pop()?.replace(/\[\]$/, "")));
    expect(schemaKeys(environmentSchema).filter((key) => !documented.has(key))).toEqual([]);
  });

  it("gives every field a type, a description and an example (or a table of its own)", () => {
    const incomplete = fields
      .filter((field) => field.type === "any" || !field.description || (!field.hasOwnTable && field.example === undefined))
      .map((field) => `${field.path}${field.variant ? ` (${field.variant})` : ""}`);
    expect(incomplete).toEqual([]);
  });

  it("documents every field of the aws target, its load balancer and system nodes", () => {
    const awsFields = fields.filter((field) => field.variant === "kind: aws").map((field) => field.path);
    expect(awsFields).toEqual(
      expect.arrayContaining([
        "target.region",
        "target.production",
        "target.availabilityZones",
        "target.eksVersion",
        "target.vpcCidr",
        "target.apiAllowedCidrs",
        "target.systemNodes.instanceType",
        "target.systemNodes.nodes",
        "target.loadBalancer.scheme",
        "target.loadBalancer.allowedCidrs",
        "target.loadBalancer.domain",
        "target.loadBalancer.route53ZoneId",
        "target.loadBalancer.certificateArn",
      ]),
    );
    for (const pool of ["instanceType", "minNodes", "maxNodes", "rootVolumeGiB"]) expect(reference).toContain(`\`gpuPools[].${pool}\``);
  });

  it("states limits and defaults the schema enforces", () => {
    const row = (fieldPath: string) => reference.split("\n").find((line) => line.startsWith(`| \`${fieldPath}\` |`));
    expect(row("models[].gpuMemoryUtilization")).toContain("> 0.1, ≤ 0.98");
    expect(row("models[].typicalRequestTokens")).toContain("`4096`");
    expect(row("target.systemNodes.nodes")).toContain("1 to 10");
    expect(row("target.availabilityZones")).toContain("1 to 3 items");
    expect(row("target.eksVersion")).toContain('`"1.34"`');
    expect(row("image.tag")).toContain("**required**");
  });

  it("links only to anchors it defines", () => {
    const anchors = [...reference.matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]);
    expect(new Set(anchors).size).toBe(anchors.length);
    const targets = [...reference.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]);
    expect(targets.filter((target) => !anchors.includes(target))).toEqual([]);
  });
});
