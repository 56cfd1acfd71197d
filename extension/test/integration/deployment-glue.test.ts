/**
 * Loading deployment outputs and API keys through the real glue (fake `vscode`), against the
 * fixture: the outputs configure model, FIM family and length; the key is asked for once,
 * lives in secret storage only; a malformed file is reported without changing anything.
 */
jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true });

import type { EndpointOutput } from "../../../core/contract/outputs";
import { setApiKeyCommand } from "../../src/vscode/api-key-command";
import { ApiKeys } from "../../src/vscode/api-keys";
import { DeploymentLoader } from "../../src/vscode/deployment";
import { Log } from "../../src/vscode/log";
import { Session } from "../../src/vscode/session";
import { StatusBar } from "../../src/vscode/status-bar";
import { fakeMemento, fakeSecrets, state } from "./fake-vscode";
import { API_KEY, MODEL, startHarness, type Harness } from "./fixture-helpers";

/** The globs the loader searches the workspace with: the usual name first, then any outputs file. */
const PREFERRED = "**/aicockpit-outputs.json";
const ANY = "**/*outputs*.json";

function outputsFor(baseUrl: string) {
  return {
    "aicockpit-dev": {
      environment: "dev",
      endpoint_qwen2_5_coder_7b: {
        environment: "dev",
        served_model_name: MODEL,
        base_url: baseUrl,
        role: "both",
        fim_template: "qwen",
        max_model_len: 16384,
        api_key_secret: "aicockpit/aicockpit-api-key",
      } satisfies EndpointOutput,
    },
  };
}

describe("deployment outputs and API keys through the glue", () => {
  let h: Harness;
  let session: Session;
  let keys: ApiKeys;
  let secrets: ReturnType<typeof fakeSecrets>;
  let loader: DeploymentLoader;
  let statusBar: StatusBar;
  let baseUrl: string;
  let memento: ReturnType<typeof fakeMemento>;

  beforeEach(async () => {
    h = await startHarness();
    baseUrl = `${h.fixture.url}/v1`;
    Object.assign(state, {
      settings: new Map(),
      files: new Map(),
      log: [],
      messages: [],
      executed: [],
      inputAnswers: [],
      quickPickAnswers: [],
      quickPicksShown: [],
      foundFiles: new Map(),
      workspaceTrusted: true,
    });
    memento = fakeMemento();
    secrets = fakeSecrets();
    keys = new ApiKeys(secrets as never);
    const log = new Log();
    session = new Session(log, keys);
    statusBar = new StatusBar(session);
    loader = new DeploymentLoader(session, keys, memento, log);
  });
  afterEach(async () => {
    statusBar.dispose();
    session.dispose();
    await h.fixture.stop();
  });

  it("configures model, FIM family and length from the outputs and asks once for the key", async () => {
    state.files.set("/ws/aicockpit-outputs.json", JSON.stringify(outputsFor(baseUrl)));
    expect(await loader.loadCommand("aicockpit-outputs.json")).toBe(true);
    expect(session.target?.completion).toMatchObject({ baseUrl, model: MODEL, fimFamily: "qwen", fimGuessed: false, maxModelLen: 16384 });
    expect(session.target?.environment).toBe("dev");
    expect(state.statusBarText).toBe("$(hubot) AiCockpit unauthorized");
    expect(state.executed).toContainEqual({ command: "aicockpit.setApiKey", args: [undefined, baseUrl, "aicockpit/aicockpit-api-key"] });

    expect(await setApiKeyCommand(session, keys, API_KEY)).toBe(true);
    expect(state.statusBarText).toBe(`$(hubot) AiCockpit ${MODEL}`);
    expect(await secrets.get(`aicockpit.apiKey:${baseUrl}`)).toBe(API_KEY);
    expect([...state.settings.values()]).not.toContain(API_KEY);

    state.executed = [];
    await loader.loadCommand("aicockpit-outputs.json");
    expect(state.executed.filter((e) => e.command === "aicockpit.setApiKey")).toEqual([]);
  });

  it("reads the `terraform output -json` shape too", async () => {
    const stack = outputsFor(baseUrl)["aicockpit-dev"];
    const wrapped = Object.fromEntries(
      Object.entries(stack).map(([k, v]) => [k, { value: v, type: typeof v === "string" ? "string" : "object", sensitive: false }]),
    );
    state.files.set("/ws/tf.json", JSON.stringify(wrapped));
    await keys.set(baseUrl, API_KEY);
    expect(await loader.loadCommand("/ws/tf.json")).toBe(true);
    expect(session.target?.chat?.model).toBe(MODEL);
    expect(state.statusBarText).toBe(`$(hubot) AiCockpit ${MODEL}`);
  });

  it("reports a malformed file with the field at fault and keeps the previous setup", async () => {
    const broken = outputsFor(baseUrl);
    (broken["aicockpit-dev"].endpoint_qwen2_5_coder_7b as Record<string, unknown>).fim_template = "gpt";
    state.files.set("/ws/broken.json", JSON.stringify(broken));
    expect(await loader.loadCommand("/ws/broken.json")).toBe(false);
    expect(session.deployment).toBeUndefined();
    expect(state.messages.find((m) => m.startsWith("error:"))).toContain("fim_template");
    state.files.set("/ws/not-json.json", "{ nope");
    expect(await loader.loadCommand("/ws/not-json.json")).toBe(false);
    expect(state.messages.filter((m) => m.startsWith("error:"))).toHaveLength(2);
  });

  it("stores the key typed in the password box per base URL; an empty answer removes it", async () => {
    state.files.set("/ws/aicockpit-outputs.json", JSON.stringify(outputsFor(baseUrl)));
    await loader.loadCommand("aicockpit-outputs.json");
    state.inputAnswers.push(API_KEY);
    expect(await setApiKeyCommand(session, keys)).toBe(true);
    expect(await keys.get(`${baseUrl}/`)).toBe(API_KEY);
    state.inputAnswers.push("");
    await setApiKeyCommand(session, keys);
    expect(await keys.get(baseUrl)).toBeUndefined();
    expect(state.statusBarText).toBe("$(hubot) AiCockpit unauthorized");
  });

  describe("without a path", () => {
    it("finds aicockpit-outputs.json in the workspace and loads it without asking", async () => {
      state.files.set("/ws/deploy/aicockpit-outputs.json", JSON.stringify(outputsFor(baseUrl)));
      state.foundFiles.set(PREFERRED, ["/ws/deploy/aicockpit-outputs.json"]);
      expect(await loader.loadCommand()).toBe(true);
      expect(session.deployment?.file.path).toBe("/ws/deploy/aicockpit-outputs.json");
      expect(state.quickPicksShown).toEqual([]);
      expect(state.messages).toContainEqual(
        expect.stringMatching(/^info: AiCockpit: loaded 1 model\(s\) from deploy\/aicockpit-outputs.json/),
      );
    });

    it("offers a pick of several candidates, any *outputs*.json when none has the usual name; dismissing loads nothing", async () => {
      state.files.set("/ws/b-outputs.json", JSON.stringify(outputsFor(baseUrl)));
      state.foundFiles.set(ANY, ["/ws/a-outputs.json", "/ws/b-outputs.json"]);
      state.quickPickAnswers.push("b-outputs.json");
      expect(await loader.loadCommand()).toBe(true);
      expect(state.quickPicksShown).toEqual([["a-outputs.json", "b-outputs.json"]]);
      expect(session.deployment?.file.path).toBe("/ws/b-outputs.json");

      state.quickPickAnswers.push(undefined);
      expect(await loader.loadCommand()).toBe(false);
    });

    it("asks which environment to use when the file holds several, and remembers it in the settings", async () => {
      const two = {
        ...outputsFor(baseUrl),
        "aicockpit-prod": {
          endpoint_chat: {
            ...outputsFor(baseUrl)["aicockpit-dev"].endpoint_qwen2_5_coder_7b,
            environment: "prod",
            served_model_name: "chat",
          },
        },
      };
      state.files.set("/ws/aicockpit-outputs.json", JSON.stringify(two));
      state.foundFiles.set(PREFERRED, ["/ws/aicockpit-outputs.json"]);
      state.quickPickAnswers.push("prod");
      expect(await loader.loadCommand()).toBe(true);
      expect(state.quickPicksShown).toEqual([["dev", "prod"]]);
      expect(state.settings.get("aicockpit.environment")).toBe("prod");
      expect(session.target?.environment).toBe("prod");
    });

    it("tells the user a file it cannot read, and loads nothing", async () => {
      expect(await loader.loadCommand("/ws/missing.json")).toBe(false);
      expect(session.deployment).toBeUndefined();
      expect(state.messages).toContainEqual(expect.stringMatching(/^error: AiCockpit: Cannot read \/ws\/missing.json: ENOENT/));
    });
  });

  describe("at start-up", () => {
    it("reloads the file loaded last, silently", async () => {
      state.files.set("/ws/aicockpit-outputs.json", JSON.stringify(outputsFor(baseUrl)));
      await keys.set(baseUrl, API_KEY);
      expect(await loader.loadCommand("/ws/aicockpit-outputs.json")).toBe(true);
      const later = new Session(new Log(), keys);
      try {
        state.messages = [];
        await new DeploymentLoader(later, keys, memento, new Log()).autoLoad();
        expect(later.deployment?.file.path).toBe("/ws/aicockpit-outputs.json");
        expect(state.messages).toEqual([]);
        expect(state.executed.filter((e) => e.command === "aicockpit.setApiKey")).toHaveLength(0);
      } finally {
        later.dispose();
      }
    });

    it("logs a broken remembered file instead of showing an error, and starts without a deployment", async () => {
      await memento.update("aicockpit.outputsFile", "file:///ws/gone.json");
      await loader.autoLoad();
      expect(session.deployment).toBeUndefined();
      expect(state.messages).toEqual([]);
      expect(state.log).toContainEqual(expect.stringMatching(/^error Cannot read \/ws\/gone.json/));
    });

    it("searches the workspace only when it is trusted", async () => {
      state.files.set("/ws/aicockpit-outputs.json", JSON.stringify(outputsFor(baseUrl)));
      state.foundFiles.set(PREFERRED, ["/ws/aicockpit-outputs.json"]);
      state.workspaceTrusted = false;
      await loader.autoLoad();
      expect(session.deployment).toBeUndefined();
      state.workspaceTrusted = true;
      await loader.autoLoad();
      expect(session.deployment?.file.path).toBe("/ws/aicockpit-outputs.json");
    });
  });
});
