// ESLint (flat config): type-aware typescript-eslint rules and the one-way layering of the
// top-level folders (eslint.layering.mjs). Formatting is Prettier's (`npm run format:check`), so eslint-config-prettier
// turns off every stylistic rule.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";
import layering from "./eslint.layering.mjs";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "cdktf.out/**",
      "coverage/**",
      "test/e2e/code-server/**",
      "test/e2e/.e2e-artifacts/**",
      ".stryker-tmp/**",
      "reports/**",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      eqeqeq: ["error", "always"],
    },
  },
  ...layering,
  {
    // Tests use jest's loose matchers (expect.any, objectContaining) and parse JSON freely.
    files: ["test/**/*.ts", "extension/test/**/*.ts", "extension/bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Fakes and stand-ins implement async interfaces with answers they already hold.
      "@typescript-eslint/require-await": "off",
      // jest.mock factories run before imports, so they load modules with require().
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  prettier,
);
