/**
 * The extension's tests (core units and glue on a fake `vscode` against the vLLM fixture), a
 * project of their own: `npx jest` or `npm test` here, `npm test -w extension` from the root,
 * and one of the root config's projects, so the root's `npx jest` runs them once.
 * swc strips types; `npm run typecheck` checks them.
 */
module.exports = {
  displayName: "extension",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Applies when run from here; under the root config its own testTimeout does.
  testTimeout: 60000,
};
