/**
 * Unit, synth and integration tests, as two projects: the kit's (test/, with cdktf's Terraform
 * matchers) and the extension's (extension/jest.config.js, also run on its own from extension/).
 * swc strips types; `npm run typecheck` checks them.
 */
const extension = require("./extension/jest.config");

module.exports = {
  testTimeout: 60000,
  // `npm run test:unit` measures coverage of the product code and fails below these floors
  // (issue 9: ≥ 90 % lines for the two pure cores, ≥ 80 % overall).
  collectCoverageFrom: [
    "core/**/*.ts",
    "monitoring/**/*.ts",
    "constructs/**/*.ts",
    "stacks/**/*.ts",
    "cli/**/*.ts",
    "extension/src/**/*.ts",
  ],
  coverageReporters: ["text-summary", "json-summary"],
  coverageThreshold: {
    global: { lines: 80 },
    "./core/": { lines: 90 },
    "./extension/src/core/": { lines: 90 },
  },
  projects: [
    {
      displayName: "kit",
      testEnvironment: "node",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "/test/e2e/"],
      transform: extension.transform,
      setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
    },
    "<rootDir>/extension",
  ],
};
