/**
 * The hand-written documentation stays true to the repository: every relative link reaches a file
 * (and a heading or anchor, when it names one), and every complete environment shown in
 * docs/environments.md synthesizes.
 */
import Ajv from "ajv";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ENVIRONMENT_SCHEMA_FILE, REPO_ROOT } from "../../cli/gen-docs";
import { parseEnvironment } from "../../core/load-environment";

function markdownFiles(): string[] {
  const inDir = (dir: string): string[] =>
    fs.existsSync(path.join(REPO_ROOT, dir))
      ? fs
          .readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
          .filter((file) => file.endsWith(".md"))
          .map((file) => path.join(dir, file))
      : [];
  return ["README.md", "CONTRIBUTING.md", ...inDir("docs"), ...inDir(".github")].filter((file) =>
    fs.existsSync(path.join(REPO_ROOT, file)),
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(text: string): Set<string> {
  const headings = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1]));
  const explicit = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]);
  return new Set([...headings, ...explicit]);
}

/** Links outside code: `[text](target)`, skipping fenced blocks and inline code. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/.test(target));
}

describe.each(markdownFiles())("%s", (file) => {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

  it("links only to files and anchors that exist", () => {
    const broken = relativeLinks(text).filter((link) => {
      const [target, anchor] = link.split("#");
      const resolved = target ? path.resolve(path.dirname(path.join(REPO_ROOT, file)), target) : path.join(REPO_ROOT, file);
      if (!fs.existsSync(resolved)) return true;
      if (!anchor || !resolved.endsWith(".md")) return false;
      return !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

describe("the environments shown in docs/environments.md", () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, "docs/environments.md"), "utf8");
  const examples = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]).filter((yaml) => /^target:/m.test(yaml));
  const validate = new Ajv({ strict: true }).compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, ENVIRONMENT_SCHEMA_FILE), "utf8")));

  it("include complete files", () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((yaml, index) => [index, yaml] as const))("example %d validates, plans and matches the JSON Schema", (_, yaml) => {
    expect(() => parseEnvironment("example", "docs/environments.md", yaml)).not.toThrow();
    expect(validate(YAML.parse(yaml))).toBe(true);
  });
});
