// The one-way layering of the kit's top-level folders, lowest first:
// core → monitoring → constructs → stacks → cli. A folder imports only from itself and the folders
// before it; the pure cores (core/ and extension/src/core) import no deployment or editor framework.
// Part of eslint.config.mjs; test/architecture/layering.test.ts lints probe files with this file alone.
import boundaries from "eslint-plugin-boundaries";
import tseslint from "typescript-eslint";

/** Folders of the kit, lowest first: each may import only from itself and the ones before it. */
export const LAYERS = ["core", "monitoring", "constructs", "stacks", "cli"];

/** Packages that make code deployable (cdktf) or VS Code-bound: never in core/. */
const FRAMEWORKS = ["cdktf", "cdktf/*", "constructs", "@cdktf/*", "vscode"];

export default [
  {
    files: LAYERS.map((layer) => `${layer}/**/*.ts`),
    languageOptions: { parser: tseslint.parser },
    plugins: { boundaries },
    settings: {
      "boundaries/elements": LAYERS.map((layer) => ({ type: layer, pattern: `${layer}/**`, partialMatch: false })),
      "import/resolver": { node: { extensions: [".ts", ".js", ".json"] } },
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          policies: [
            ...LAYERS.map((layer, index) => ({
              from: { element: { type: layer } },
              allow: { to: { element: { types: { anyOf: LAYERS.slice(0, index + 1) } } } },
            })),
            // Packages and Node built-ins: allowed here, restricted per folder below.
            { allow: { to: { module: { origin: "external" } } } },
            { allow: { to: { module: { origin: "core" } } } },
          ],
        },
      ],
    },
  },
  {
    files: ["core/**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: FRAMEWORKS, message: "core/ is the pure domain: no cdktf, constructs or vscode import" }] },
      ],
    },
  },
  {
    files: ["extension/src/core/**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["vscode"], message: "extension/src/core is pure: no vscode import (VS Code glue lives in src/vscode)" }] },
      ],
    },
  },
];
