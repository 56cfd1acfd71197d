import { defaultSettings, parseDeploymentOutputs, parseSettings, resolveTarget, SETTING_KEYS } from "../../src/core";

describe("settings", () => {
  test("every fixed setting id exists with its default", () => {
    expect([...SETTING_KEYS].sort()).toEqual(
      [
        "outputsFile",
        "environment",
        "completionModel",
        "chatModel",
        "manual.baseUrl",
        "manual.completionModel",
        "manual.chatModel",
        "manual.fimTemplate",
        "manual.maxModelLen",
        "caFile",
        "exclude",
        "inlineCompletions.enabled",
        "chat.toolCalling",
        "debounceMs",
        "maxTokens",
        "requestTimeoutMs",
      ].sort(),
    );
    const d = defaultSettings();
    expect(d.exclude).toEqual([".env*", "**/.env*", "*.pem", "*.key", "id_rsa*"]);
    expect(d["inlineCompletions.enabled"]).toBe(true);
    expect(d["manual.fimTemplate"]).toBe("auto");
  });

  test("valid values pass through", () => {
    const { settings, problems } = parseSettings({
      "manual.baseUrl": "https://llm.example.com/v1",
      debounceMs: 50,
      "manual.fimTemplate": "starcoder",
      exclude: ["*.secret"],
    });
    expect(problems).toEqual([]);
    expect(settings["manual.baseUrl"]).toBe("https://llm.example.com/v1");
    expect(settings.debounceMs).toBe(50);
    expect(settings["manual.fimTemplate"]).toBe("starcoder");
    expect(settings.exclude).toEqual(["*.secret"]);
  });

  test("a bad value falls back to its default and is reported; others are kept", () => {
    const { settings, problems } = parseSettings({
      debounceMs: "fast",
      maxTokens: 64,
      "manual.baseUrl": "localhost:8000",
      "manual.fimTemplate": "gpt",
    });
    expect(settings.debounceMs).toBe(120);
    expect(settings.maxTokens).toBe(64);
    expect(settings["manual.baseUrl"]).toBe("");
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith("aicockpit.debounceMs"))).toMatch(/using 120/);
    expect(problems.find((p) => p.startsWith("aicockpit.manual.baseUrl"))).toBeDefined();
  });
});

describe("resolveTarget", () => {
  const outputs = parseDeploymentOutputs(
    JSON.stringify({
      "aicockpit-local": {
        endpoint_sc: {
          environment: "local",
          served_model_name: "my-coder",
          base_url: "http://a/v1",
          role: "completion",
          fim_template: "starcoder",
          max_model_len: 16384,
          api_key_secret: "ns/s",
        },
        endpoint_chat: {
          environment: "local",
          served_model_name: "chatty",
          base_url: "http://b/v1",
          role: "chat",
          fim_template: "none",
          max_model_len: 65536,
          api_key_secret: "ns/s",
        },
      },
    }),
    "o.json",
  );
  if (!outputs.ok) throw new Error("fixture");

  test("deployment: the family comes from the outputs, not the model name", () => {
    const t = resolveTarget(defaultSettings(), outputs.endpoints);
    expect(t?.source).toBe("deployment");
    expect(t?.completion).toEqual({
      baseUrl: "http://a/v1",
      model: "my-coder",
      maxModelLen: 16384,
      toolCalling: false,
      fimFamily: "starcoder",
      fimGuessed: false,
    });
    expect(t?.chat).toEqual({ baseUrl: "http://b/v1", model: "chatty", maxModelLen: 65536, toolCalling: false });
  });

  test("deployment: the outputs' tool_calling decides; the setting speaks only for outputs without it", () => {
    const endpoint = (name: string, toolCalling?: boolean) => ({
      environment: "local",
      served_model_name: name,
      base_url: "http://b/v1",
      role: "chat",
      fim_template: "none",
      max_model_len: 65536,
      api_key_secret: "ns/s",
      ...(toolCalling === undefined ? {} : { tool_calling: toolCalling }),
    });
    const chatTarget = (toolCalling: boolean | undefined, setting: boolean) => {
      const parsed = parseDeploymentOutputs(JSON.stringify({ "aicockpit-local": { endpoint_c: endpoint("c", toolCalling) } }), "o.json");
      if (!parsed.ok) throw new Error("fixture");
      return resolveTarget(parseSettings({ "chat.toolCalling": setting }).settings, parsed.endpoints)?.chat?.toolCalling;
    };
    expect(chatTarget(true, false)).toBe(true);
    expect(chatTarget(false, true)).toBe(false);
    expect(chatTarget(undefined, true)).toBe(true);
    expect(chatTarget(undefined, false)).toBe(false);
  });

  test("manual: guesses the family only as a fallback, and says so", () => {
    const { settings } = parseSettings({ "manual.baseUrl": "http://127.0.0.1:8000/v1/", "manual.completionModel": "Qwen2.5-Coder-1.5B" });
    const t = resolveTarget(settings);
    expect(t?.completion).toMatchObject({ baseUrl: "http://127.0.0.1:8000/v1", fimFamily: "qwen", fimGuessed: true });
    expect(t?.chat?.model).toBe("Qwen2.5-Coder-1.5B");
    expect(t?.notes[0]).toMatch(/guessed/);
  });

  test("manual: an unguessable name gets no completions and a note; an explicit family wins", () => {
    const unknown = resolveTarget(parseSettings({ "manual.baseUrl": "http://h/v1", "manual.completionModel": "team-model" }).settings);
    expect(unknown?.completion).toBeUndefined();
    expect(unknown?.notes[0]).toMatch(/manual\.fimTemplate/);
    const explicit = resolveTarget(
      parseSettings({ "manual.baseUrl": "http://h/v1", "manual.completionModel": "qwen-lookalike", "manual.fimTemplate": "codellama" })
        .settings,
    );
    expect(explicit?.completion?.fimFamily).toBe("codellama");
  });

  test("nothing configured → undefined", () => {
    expect(resolveTarget(defaultSettings())).toBeUndefined();
  });
});
