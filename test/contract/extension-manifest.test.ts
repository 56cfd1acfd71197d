/** The extension's manifest is data: its FIM-template setting must offer the contract's list. */
import fs from "node:fs";
import path from "node:path";
import { FIM_TEMPLATES } from "../../core/contract/outputs";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "extension", "package.json"), "utf8"));
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
});
