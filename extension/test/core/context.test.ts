import { assembleContext, importCandidates, importSpecifiers, joinPath, type FileSnapshot } from "../../src/core";

describe("importSpecifiers", () => {
  test("TypeScript/JavaScript: import, export-from, side-effect import, require", () => {
    const text = [
      'import { a } from "./a";',
      "import * as b from '../lib/b';",
      'import "./polyfill";',
      'export { c } from "./c.js";',
      'const d = require("./d");',
      'import React from "react";',
      "const x = 1;",
    ].join("\n");
    expect(importSpecifiers(text, "typescript")).toEqual(["./a", "../lib/b", "react", "./polyfill", "./c.js", "./d"]);
  });

  test("Python: from-import (relative too) and import", () => {
    expect(importSpecifiers("from .models import User\nfrom pkg.util import x\nimport os\n", "python")).toEqual([
      ".models",
      "pkg.util",
      "os",
    ]);
  });

  test("C includes with quotes only; unknown languages give nothing", () => {
    expect(importSpecifiers('#include <stdio.h>\n#include "util.h"\n', "c")).toEqual(["util.h"]);
    expect(importSpecifiers("anything", "plaintext")).toEqual([]);
  });
});

describe("importCandidates", () => {
  test("relative JS imports resolve against the importing file, with extensions and index files", () => {
    const c = importCandidates("../lib/b", "src/app/main.ts", "typescript");
    expect(c.slice(0, 3)).toEqual(["src/lib/b", "src/lib/b.ts", "src/lib/b.tsx"]);
    expect(c).toContain("src/lib/b/index.ts");
    expect(importCandidates("./c.js", "src/x.ts", "typescript")).toContain("src/c.ts");
  });
  test("packages and imports above the root resolve to nothing", () => {
    expect(importCandidates("react", "src/x.ts", "typescript")).toEqual([]);
    expect(importCandidates("../../x", "a.ts", "typescript")).toEqual([]);
  });
  test("Python modules, absolute and relative", () => {
    expect(importCandidates("pkg.util", "app/main.py", "python")).toEqual([
      "app/pkg/util.py",
      "app/pkg/util/__init__.py",
      "pkg/util.py",
      "pkg/util/__init__.py",
    ]);
    expect(importCandidates(".models", "app/views.py", "python")).toEqual(["app/models.py", "app/models/__init__.py"]);
    expect(importCandidates("..core", "app/sub/views.py", "python")).toEqual(["app/core.py", "app/core/__init__.py"]);
  });
  test("joinPath normalises . and ..", () => {
    expect(joinPath("a/b", "../c/./d")).toBe("a/c/d");
    expect(joinPath("", "..")).toBeUndefined();
  });
});

describe("assembleContext", () => {
  const current = { path: "src/main.ts", languageId: "typescript", text: 'import { helper } from "./helper";\n\nhelper();\n' };
  const helper: FileSnapshot = { path: "src/helper.ts", languageId: "typescript", text: "export function helper() {}\n" };
  const sameLang: FileSnapshot = { path: "src/other.ts", languageId: "typescript", text: "export const other = 1;\n" };
  const otherLang: FileSnapshot = { path: "README.md", languageId: "markdown", text: "# Readme\n" };
  const secret: FileSnapshot = { path: ".env", languageId: "dotenv", text: "API_KEY=sk-123\n" };

  test("ranks imported files, then recent edits, then same-language, then other open files", () => {
    const snippets = assembleContext({
      current,
      openFiles: [otherLang, sameLang, helper, { ...current }],
      recentEdits: [{ path: "src/edited.ts", languageId: "typescript", text: "let edited = true;", editedAt: 5 }],
      budgetChars: 10_000,
    });
    expect(snippets.map((s) => [s.path, s.kind])).toEqual([
      ["src/helper.ts", "import"],
      ["src/edited.ts", "recent-edit"],
      ["src/other.ts", "open-file"],
      ["README.md", "open-file"],
    ]);
  });

  test("never includes the current file or excluded paths", () => {
    const snippets = assembleContext({
      current,
      openFiles: [secret, current, sameLang],
      budgetChars: 10_000,
      isExcluded: (p) => p === ".env",
    });
    expect(snippets.map((s) => s.path)).toEqual(["src/other.ts"]);
  });

  test("respects the character budget (and per-file head)", () => {
    const big: FileSnapshot = { path: "src/big.ts", languageId: "typescript", text: "const a = 1;\n".repeat(1000) };
    const snippets = assembleContext({ current, openFiles: [big, sameLang], budgetChars: 500, perFileChars: 2000 });
    const total = snippets.reduce((n, s) => n + s.text.length + s.path.length + 16, 0);
    expect(total).toBeLessThanOrEqual(500);
    expect(snippets[0].path).toBe("src/big.ts");
    expect(snippets[0].text.endsWith("\n")).toBe(true);
    expect(assembleContext({ current, openFiles: [big], budgetChars: 10 })).toEqual([]);
  });

  test("more recent edits come first", () => {
    const snippets = assembleContext({
      current,
      recentEdits: [
        { path: "a.ts", languageId: "typescript", text: "old", editedAt: 1 },
        { path: "b.ts", languageId: "typescript", text: "new", editedAt: 9 },
      ],
      budgetChars: 1000,
    });
    expect(snippets.map((s) => s.path)).toEqual(["b.ts", "a.ts"]);
  });
});
