// Mutation testing of the planner and the aws cost and network planning: `npm run test:mutation`
// (minutes; outside `npm test` and CI). Mutants survive where no test checks what the code does.
// Runs the unit tests that exercise these modules in process. Left out: the CLI tests (they spawn
// tsx, which runs the unmutated sources) and the tests that synthesize stacks (slow, and they add
// nothing here). Needs Node 22 or 24 (engines); `source .ci/use-node.sh` first on another Node.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  jest: {
    projectType: "custom",
    config: {
      testEnvironment: "node",
      rootDir: ".",
      roots: ["<rootDir>/test"],
      testMatch: [
        "**/test/core/planner.test.ts",
        "**/test/core/planner-calibration.test.ts",
        "**/test/core/planner-environment.test.ts",
        "**/test/core/planner-layouts.test.ts",
        "**/test/core/planner-model-config.test.ts",
        "**/test/core/planner-versions.test.ts",
        "**/test/core/planner-aws-cost-network.test.ts",
        "**/test/core/planner-serving-options.test.ts",
        "**/test/core/serving-options.test.ts",
        "**/test/core/decision-table.test.ts",
        "**/test/aws/cost.test.ts",
        "**/test/aws/network-plan.test.ts",
      ],
      transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
      testTimeout: 60000,
    },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: "perTest",
  mutate: ["core/planning/**/*.ts", "core/aws/cost.ts", "core/aws/network-plan.ts"],
  // The machine is shared: two test processes at most.
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["cdktf.out", "reports", "test/e2e", ".stryker-tmp"],
};
