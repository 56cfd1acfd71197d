/** The rules as promtool's unit tests expect them: rendered with monitoring/rules/tests/render-context.json. */
import fs from "node:fs";
import path from "node:path";
import { RULES_DIR, renderRuleFiles, ruleFileYaml, type RenderOptions, type RuleRenderContext } from "../../../monitoring/render-rules";

export const PROMTOOL_TESTS_DIR = path.join(RULES_DIR, "tests");

export function promtoolTestContext(): RuleRenderContext {
  return JSON.parse(fs.readFileSync(path.join(PROMTOOL_TESTS_DIR, "render-context.json"), "utf8")) as RuleRenderContext;
}

export function promtoolTestFiles(): string[] {
  return fs
    .readdirSync(PROMTOOL_TESTS_DIR)
    .filter((f) => f.endsWith(".test.yaml"))
    .sort();
}

/** Writes the rendered rule files (and, when asked, the promtool test files) into `dir`; returns the rule paths. */
export function writeRenderedRules(
  dir: string,
  context: RuleRenderContext,
  options: RenderOptions & { withTests?: boolean } = {},
): string[] {
  const paths = renderRuleFiles(context, options).map((file) => {
    const target = path.join(dir, file.fileName);
    fs.writeFileSync(target, ruleFileYaml(file));
    return target;
  });
  if (options.withTests) {
    for (const test of promtoolTestFiles()) fs.copyFileSync(path.join(PROMTOOL_TESTS_DIR, test), path.join(dir, test));
  }
  return paths;
}
