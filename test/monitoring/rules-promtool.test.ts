/**
 * The rendered rules through the real promtool: syntax (`check rules`) and behaviour
 * (`test rules`, the unit tests in monitoring/rules/tests/), plus the guarantee that every
 * alert has a case where it fires and a case where it must not.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { alertingRules, loadRuleTemplates, renderRuleFiles } from "../../monitoring/render-rules";
import { makeTempDir, run } from "./helpers/tools";
import { PROMTOOL_TESTS_DIR, promtoolTestContext, promtoolTestFiles, writeRenderedRules } from "./helpers/rendered-rules";

interface AlertRuleTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface PromtoolTestFile {
  rule_files: string[];
  tests: { name?: string; alert_rule_test?: AlertRuleTest[] }[];
}

function readPromtoolTests(): { file: string; content: PromtoolTestFile }[] {
  return promtoolTestFiles().map((file) => ({
    file,
    content: YAML.parse(fs.readFileSync(path.join(PROMTOOL_TESTS_DIR, file), "utf8")) as PromtoolTestFile,
  }));
}

describe("rule files under promtool", () => {
  let dir: string;
  let rulePaths: string[];

  beforeAll(() => {
    dir = makeTempDir("promtool");
    rulePaths = writeRenderedRules(dir, promtoolTestContext(), { withTests: true });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("renders every rule file of monitoring/rules", () => {
    expect(rulePaths.map((p) => path.basename(p)).sort()).toEqual(loadRuleTemplates().map((f) => f.fileName));
  });

  it("passes `promtool check rules` for every rendered file", async () => {
    for (const rulePath of rulePaths) {
      const result = await run("promtool", ["check", "rules", rulePath]);
      expect({ file: path.basename(rulePath), code: result.code, output: result.stdout + result.stderr }).toMatchObject({
        code: 0,
      });
      expect(result.stdout).toContain("SUCCESS");
    }
  });

  it("passes every `promtool test rules` unit test", async () => {
    const result = await run("promtool", ["test", "rules", ...promtoolTestFiles()], { cwd: dir });
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    for (const file of promtoolTestFiles()) expect(result.stdout).toContain(`Unit Testing:  ${file}`);
    expect(result.stdout + result.stderr).not.toContain("FAILED");
  });

  it("fails the SLO unit tests when the rules are rendered with another SLO (the threshold is really used)", async () => {
    const other = makeTempDir("promtool-slo");
    try {
      writeRenderedRules(other, { ...promtoolTestContext(), completionTtftP95Ms: 300, availabilityPercent: 99 }, { withTests: true });
      const result = await run("promtool", ["test", "rules", "slo-alerts.test.yaml"], { cwd: other });
      expect(result.code).not.toBe(0);
      // At 300 ms the slow requests are counted at the 0.25 s bucket, which the tests' 0.1 s
      // series do not reach; 3 % errors are under 14.4 × a 1 % budget: the firing cases go quiet.
      expect(result.stderr + result.stdout).toContain("alertname: VllmCompletionTtftFastBurn");
      expect(result.stderr + result.stdout).toContain("alertname: VllmAvailabilityFastBurn");
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("promtool unit-test coverage", () => {
  const tests = readPromtoolTests();
  const cases = tests.flatMap((t) => t.content.tests.flatMap((c) => c.alert_rule_test ?? []));
  // All alerts any environment can deploy: GPU rules included.
  const alerts = alertingRules(renderRuleFiles({ ...promtoolTestContext(), gpuRules: true }));

  it.each(alerts.map((a) => a.alert))("%s has a case where it fires and one where it must not", (alert) => {
    const ofAlert = cases.filter((c) => c.alertname === alert);
    expect(ofAlert.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
    expect(ofAlert.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it("tests only alerts that exist", () => {
    const known = new Set(alerts.map((a) => a.alert));
    expect(cases.map((c) => c.alertname).filter((name) => !known.has(name))).toEqual([]);
  });

  it("loads only rule files that exist", () => {
    const ruleFiles = new Set(loadRuleTemplates().map((f) => f.fileName));
    for (const t of tests) for (const file of t.content.rule_files) expect(ruleFiles.has(file)).toBe(true);
  });
});
