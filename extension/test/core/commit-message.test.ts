import { buildCommitMessageMessages, commitMessageFromReply, describeCommitStyle, parseUnifiedDiff } from "../../src/core";

const fileDiff = (path: string, added: string[], removed: string[] = []) =>
  [
    `diff --git a/${path} b/${path}`,
    "index 1111111..2222222 100644",
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -1,${removed.length} +1,${added.length} @@ function area(w, h)`,
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
  ].join("\n");

describe("parseUnifiedDiff", () => {
  test("one entry per file with its counts; deleted and binary files", () => {
    const diff = [
      fileDiff("src/a.ts", ["x", "y"], ["z"]),
      "diff --git a/old.txt b/old.txt\ndeleted file mode 100644\nindex 3..0\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone",
      "diff --git a/logo.png b/logo.png\nindex 4..5 100644\nBinary files a/logo.png and b/logo.png differ",
    ].join("\n");
    expect(parseUnifiedDiff(diff).map((f) => [f.path, f.added, f.removed, f.binary])).toEqual([
      ["src/a.ts", 2, 1, false],
      ["old.txt", 0, 1, false],
      ["logo.png", 0, 0, true],
    ]);
  });
});

describe("describeCommitStyle", () => {
  test("Conventional Commits with their types, lower case, no period", () => {
    const style = describeCommitStyle(["feat(cli): add plan", "fix: handle empty list", "docs: explain outputs", "Merge branch 'x'"]);
    expect(style).toContain("Conventional Commits");
    expect(style).toContain("(feat, fix, docs)");
    expect(style).toContain("lower-case");
    expect(style).toContain("Do not end the subject with a period.");
  });
  test("plain capitalised subjects", () => {
    const style = describeCommitStyle(["Add the gateway test", "Fix the bench", "Load outputs twice."]);
    expect(style).not.toContain("Conventional");
    expect(style).toContain("capital letter");
  });
  test("no history: a sensible default", () => {
    expect(describeCommitStyle([])).toMatch(/imperative/);
  });
});

describe("buildCommitMessageMessages", () => {
  const files = parseUnifiedDiff([fileDiff("src/a.ts", ["export const a = 1;"]), fileDiff(".env", ["SECRET=hunter2"])].join("\n"));

  test("excluded files are never sent, not even by name", () => {
    const prompt = buildCommitMessageMessages({ files, recentSubjects: ["Add a"], maxInputTokens: 4_000, isExcluded: (p) => p === ".env" });
    const sent = JSON.stringify(prompt.messages);
    expect(sent).toContain("export const a = 1;");
    expect(sent).not.toContain("hunter2");
    expect(sent).not.toContain(".env");
    expect(prompt.excludedCount).toBe(1);
    expect(sent).toContain("1 more staged file not shown");
  });

  test("a diff too large for its share is summarised with its counts and hunk headers", () => {
    const big = parseUnifiedDiff(
      fileDiff(
        "src/big.ts",
        Array.from({ length: 3_000 }, (_, i) => `line ${i}`),
      ),
    );
    const prompt = buildCommitMessageMessages({
      files: [...files.slice(0, 1), ...big],
      recentSubjects: [],
      maxInputTokens: 2_000,
      isExcluded: () => false,
    });
    expect(prompt.summarised).toEqual(["src/big.ts"]);
    const user = prompt.messages[1].content;
    expect(user).toContain("src/big.ts: +3000 −0 lines (diff too large to show whole)");
    expect(user).toContain("@@ -1,0 +1,3000 @@ function area(w, h)");
    expect(user).toContain("export const a = 1;");
  });

  test("the repository's subjects go along as examples", () => {
    const prompt = buildCommitMessageMessages({
      files,
      recentSubjects: ["feat: one", "fix: two"],
      maxInputTokens: 4_000,
      isExcluded: () => false,
    });
    expect(prompt.messages[1].content).toContain("Recent subjects:\n- feat: one\n- fix: two");
  });
});

describe("commitMessageFromReply", () => {
  test("fences, quotes and labels are removed", () => {
    expect(commitMessageFromReply("```\nAdd the gateway test\n```")).toBe("Add the gateway test");
    expect(commitMessageFromReply('"fix: handle empty list"')).toBe("fix: handle empty list");
    expect(commitMessageFromReply("Commit message: Add X\n\nBecause Y.")).toBe("Add X\n\nBecause Y.");
  });
});
