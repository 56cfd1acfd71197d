/**
 * The manifest against the code: every setting the core validates is contributed with the
 * same default, every fixed command is contributed and registered, and the identifiers the
 * end-to-end tests rely on are as documented.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { defaultSettings, SETTING_KEYS, SETTINGS_SCHEMA, WORKSPACE_TOOLS } from "../../src/core";

const root = path.join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const extensionSource = readFileSync(path.join(root, "src", "extension.ts"), "utf8");
const properties: Record<string, { default: unknown; enum?: unknown[]; minimum?: number; maximum?: number }> =
  manifest.contributes.configuration.properties;

const FIXED_COMMANDS = [
  "aicockpit.loadDeploymentOutputs",
  "aicockpit.setApiKey",
  "aicockpit.selectModel",
  "aicockpit.editSelection",
  "aicockpit.acceptEdit",
  "aicockpit.rejectEdit",
  "aicockpit.refineEdit",
  "aicockpit.generateCommitMessage",
  "aicockpit.explainTerminalFailure",
  "aicockpit.generateDocComment",
  "aicockpit.showLog",
];

describe("extension manifest", () => {
  it("contributes exactly the settings the core validates, with the same defaults", () => {
    expect(Object.keys(properties).sort()).toEqual(SETTING_KEYS.map((k) => `aicockpit.${k}`).sort());
    const defaults = defaultSettings();
    for (const key of SETTING_KEYS) expect([key, properties[`aicockpit.${key}`].default]).toEqual([key, defaults[key]]);
  });

  it("offers the FIM families the core knows", () => {
    const options = (SETTINGS_SCHEMA["manual.fimTemplate"] as unknown as { unwrap(): { options: string[] } }).unwrap().options;
    expect(properties["aicockpit.manual.fimTemplate"].enum).toEqual(options);
  });

  it("keeps numeric bounds no looser than the core's", () => {
    for (const key of ["debounceMs", "maxTokens", "requestTimeoutMs", "manual.maxModelLen"] as const) {
      const schema = SETTINGS_SCHEMA[key] as unknown as { unwrap(): { minValue: number; maxValue: number } };
      const { minimum, maximum } = properties[`aicockpit.${key}`];
      expect([key, minimum !== undefined && minimum >= schema.unwrap().minValue]).toEqual([key, true]);
      expect([key, maximum !== undefined && maximum <= schema.unwrap().maxValue]).toEqual([key, true]);
    }
  });

  it("contributes and registers every fixed command", () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of [...FIXED_COMMANDS, ...contributed]) {
      expect([id, contributed.includes(id)]).toEqual([id, true]);
      expect([id, extensionSource.includes(`"${id}"`)]).toEqual([id, true]);
    }
    const load = manifest.contributes.commands.find((c: { command: string }) => c.command === "aicockpit.loadDeploymentOutputs");
    expect(`${load.category}: ${load.title}`).toBe("AiCockpit: Load Deployment Outputs");
  });

  it("declares the chat participant the end-to-end tests use", () => {
    const [participant] = manifest.contributes.chatParticipants;
    expect(participant).toMatchObject({ id: "aicockpit.chat", name: "aicockpit" });
    expect(participant.commands.map((c: { name: string }) => c.name)).toEqual(["explain", "fix", "doc", "tests"]);
    // VS Code runs participants only when a language model exists: the chat model is offered as one.
    expect(manifest.contributes.languageModelChatProviders).toEqual([{ vendor: "aicockpit", displayName: "AiCockpit" }]);
    expect(readFileSync(path.join(root, "src", "vscode", "language-models.ts"), "utf8")).toContain('export const VENDOR = "aicockpit"');
  });

  it("declares the workspace tools exactly as the code offers them to the model", () => {
    const declared = manifest.contributes.languageModelTools.map((t: { name: string; modelDescription: string; inputSchema: unknown }) => ({
      name: t.name,
      description: t.modelDescription,
      inputSchema: t.inputSchema,
    }));
    expect(declared).toEqual(WORKSPACE_TOOLS);
    for (const { name } of WORKSPACE_TOOLS) expect(name).toMatch(/^[\w-]+$/);
  });

  it("puts Generate Commit Message in the Source Control view's title for git, and Refine on the edit's diff view", () => {
    expect(manifest.contributes.menus["scm/title"]).toEqual([
      { command: "aicockpit.generateCommitMessage", when: "scmProvider == git", group: "navigation" },
    ]);
    const refine = manifest.contributes.menus["editor/title"].find((m: { command: string }) => m.command === "aicockpit.refineEdit");
    expect(refine.when).toBe("aicockpit.editPending && resourceScheme == aicockpit-edit");
  });

  it("binds the instruction edit outside VS Code's Ctrl+K chords", () => {
    const binding = manifest.contributes.keybindings.find((k: { command: string }) => k.command === "aicockpit.editSelection");
    for (const key of [binding.key, binding.mac, binding.win]) expect(key).not.toMatch(/^(ctrl|cmd)\+k\b/);
  });

  it("activates on what it needs only, and pins the engine to the typings", () => {
    expect(manifest.activationEvents).not.toContain("*");
    const types = JSON.parse(readFileSync(require.resolve("@types/vscode/package.json"), "utf8")).version;
    expect(manifest.engines.vscode).toBe(`^${types}`);
    expect(manifest.devDependencies["@types/vscode"]).toBe(types);
  });
});
