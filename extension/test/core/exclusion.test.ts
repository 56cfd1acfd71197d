import { createExclusionMatcher, gitignoreMatch, globToRegExp, globToRegExpSource, parseGitignore } from "../../src/core";

describe("globToRegExp", () => {
  const m = (glob: string, path: string) => globToRegExp(glob).test(path);
  test("* and ? stay within a segment", () => {
    expect(m("*.ts", "a.ts")).toBe(true);
    expect(m("*.ts", "src/a.ts")).toBe(false);
    expect(m("a?c", "abc")).toBe(true);
    expect(m("a?c", "a/c")).toBe(false);
  });
  test("** spans segments, including none", () => {
    expect(m("**/.git", ".git")).toBe(true);
    expect(m("**/.git", "a/b/.git")).toBe(true);
    expect(m("src/**/test/*.ts", "src/test/a.ts")).toBe(true);
    expect(m("src/**/test/*.ts", "src/x/y/test/a.ts")).toBe(true);
    expect(m("build/**", "build/a/b")).toBe(true);
    expect(m("a**b", "a/x/b")).toBe(false); // not a whole segment: behaves like *
  });
  test("character classes, negated classes, braces, escapes", () => {
    expect(m("file[0-9].txt", "file7.txt")).toBe(true);
    expect(m("file[!0-9].txt", "file7.txt")).toBe(false);
    expect(m("file[!0-9].txt", "fileA.txt")).toBe(true);
    expect(m("*.{js,ts}", "a.ts")).toBe(true);
    expect(m("*.{js,ts}", "a.py")).toBe(false);
    expect(m("{src,lib/{a,b}}/*.c", "lib/b/x.c")).toBe(true);
    expect(m("\\*.txt", "*.txt")).toBe(true);
    expect(m("\\*.txt", "a.txt")).toBe(false);
    expect(m("a+b(1).txt", "a+b(1).txt")).toBe(true);
    expect(m("[unclosed", "[unclosed")).toBe(true);
  });
  test("repeated **/ collapse, so long paths cannot trigger polynomial backtracking", () => {
    expect(globToRegExpSource("**/**/**/*.pem")).toBe(globToRegExpSource("**/*.pem"));
    expect(globToRegExpSource("a/**/**/b")).toBe(globToRegExpSource("a/**/b"));
    expect(m("**/**/**/**/*.pem", `${"a/".repeat(5000)}x`)).toBe(false);
    expect(m("**/**/*.pem", `${"a/".repeat(5000)}x.pem`)).toBe(true);
  });
});

describe("gitignore semantics", () => {
  const rules = parseGitignore(
    [
      "# comment",
      "",
      "*.log",
      "!important.log",
      "build/",
      "/root-only.txt",
      "docs/*.pdf",
      "**/cache/**",
      "\\#literal-hash",
      "trailing-space.txt   ",
      "out/",
      "!out/keep.txt",
    ].join("\n"),
  );
  const ignored = (path: string, dir = false) => gitignoreMatch(rules, path, dir) !== undefined;

  test("comments and blank lines are not rules", () => {
    expect(rules.map((r) => r.source)).not.toContain("# comment");
    expect(ignored("# comment")).toBe(false);
    expect(ignored("#literal-hash")).toBe(true);
  });
  test("patterns without a slash match at any depth", () => {
    expect(ignored("debug.log")).toBe(true);
    expect(ignored("a/b/debug.log")).toBe(true);
  });
  test("negation re-includes (last match wins)", () => {
    expect(ignored("important.log")).toBe(false);
    expect(ignored("sub/important.log")).toBe(false);
  });
  test("directory patterns match directories and everything inside", () => {
    expect(ignored("build", true)).toBe(true);
    expect(ignored("build")).toBe(false); // a file named build
    expect(ignored("build/out/app.js")).toBe(true);
    expect(ignored("pkg/build/app.js")).toBe(true);
  });
  test("a file inside an ignored folder cannot be re-included", () => {
    expect(ignored("out/keep.txt")).toBe(true);
  });
  test("anchored patterns match relative to the .gitignore only", () => {
    expect(ignored("root-only.txt")).toBe(true);
    expect(ignored("sub/root-only.txt")).toBe(false);
    expect(ignored("docs/a.pdf")).toBe(true);
    expect(ignored("docs/sub/a.pdf")).toBe(false);
    expect(ignored("x/docs/a.pdf")).toBe(false);
  });
  test("** in the middle and trailing spaces", () => {
    expect(ignored("a/cache/b/c.bin")).toBe(true);
    expect(ignored("trailing-space.txt")).toBe(true);
  });
  test("nested .gitignore applies under its folder and can override the root", () => {
    const matcher = createExclusionMatcher({
      exclude: [],
      gitignores: [
        { dir: "pkg", text: "!keep.log\nlocal.txt\n" },
        { dir: "", text: "*.log\n" },
      ],
    });
    expect(matcher.isExcluded("pkg/local.txt")).toBe(true);
    expect(matcher.isExcluded("local.txt")).toBe(false);
    expect(matcher.isExcluded("pkg/keep.log")).toBe(false);
    expect(matcher.isExcluded("keep.log")).toBe(true);
  });
});

describe("ExclusionMatcher", () => {
  test("defaults keep secrets out at any depth", () => {
    const matcher = createExclusionMatcher({});
    for (const path of [".env", ".env.local", "app/.env.production", "certs/server.pem", "tls.key", "id_rsa", "home/.ssh/id_rsa.pub"]) {
      expect([path, matcher.isExcluded(path)]).toEqual([path, true]);
    }
    for (const path of ["src/env.ts", "README.md", "keys.ts", "src/environment.ts", "pem.ts"]) {
      expect([path, matcher.isExcluded(path)]).toEqual([path, false]);
    }
  });

  test("files.exclude uses VS Code globs: relative to the workspace, folders exclude contents, false is off", () => {
    const matcher = createExclusionMatcher({
      exclude: [],
      filesExclude: { "**/node_modules": true, "*.tmp": true, dist: false, "**/*.js": { when: "$(basename).ts" } },
    });
    expect(matcher.isExcluded("node_modules/x/index.js")).toBe(true);
    expect(matcher.isExcluded("a/node_modules/x.js")).toBe(true);
    expect(matcher.isExcluded("a.tmp")).toBe(true);
    expect(matcher.isExcluded("sub/a.tmp")).toBe(false);
    expect(matcher.isExcluded("dist/a.js")).toBe(false);
  });

  test("reason says which rule matched; Windows separators are normalised", () => {
    const matcher = createExclusionMatcher({
      exclude: ["secrets/**"],
      filesExclude: { "**/.git": true },
      gitignores: [{ dir: "", text: "coverage/\n" }],
    });
    expect(matcher.reason("secrets\\db.txt")).toBe("aicockpit.exclude: secrets/**");
    expect(matcher.reason(".git/config")).toBe("files.exclude: **/.git");
    expect(matcher.reason("coverage/lcov.info")).toBe(".gitignore: coverage/");
    expect(matcher.reason("src/a.ts")).toBeUndefined();
  });
});
