/**
 * The extension's manifest is data: its FIM-template setting must offer the contract's list, and
 * the extension's settings page (docs/vscode-extension.md) must say the same.
 */
import fs from "node:fs";
import path from "node:path";
import { FIM_TEMPLATES } from "../../core/contract/outputs";

const repo = path.join(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(repo, "extension", "package.json"), "utf8"));
const setting = manifest.contributes.configuration.properties["aicockpit.manual.fimTemplate"] as {
  default: string;
  enum: string[];
  markdownEnumDescriptions: string[];
};

describe("extension manifest against the outputs contract", () => {
  test("aicockpit.manual.fimTemplate offers `auto` and exactly the contract's FIM templates", () => {
    expect(setting.enum).toEqual(["auto", ...FIM_TEMPLATES]);
    expect(setting.default).toBe("auto");
  });

  test("every offered template has its description", () => {
    expect(setting.markdownEnumDescriptions).toHaveLength(setting.enum.length);
  });

  test("docs/vscode-extension.md lists the same values for the setting", () => {
    const docs = fs.readFileSync(path.join(repo, "docs", "vscode-extension.md"), "utf8");
    const row = docs.split("\n").find((line) => line.startsWith("| `aicockpit.manual.fimTemplate`")) ?? "";
    const values = [...(row.split("|")[3] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(values.sort()).toEqual([...setting.enum].sort());
  });
});
