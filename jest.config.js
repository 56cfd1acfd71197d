/**
 * Unit, synth and integration tests, as two projects: the kit's (test/, with cdktf's Terraform
 * matchers) and the extension's (extension/jest.config.js, also run on its own from extension/).
 * swc strips types; `npm run typecheck` checks them.
 */
const extension = require("./extension/jest.config");

module.exports = {
  testTimeout: 60000,
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
