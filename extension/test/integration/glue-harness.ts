/**
 * The extension's glue as it wires it, on the fake `vscode`, pointed at the fixture by manual
 * settings (a user without an outputs file). The test file mocks `vscode` with ./fake-vscode
 * before importing this.
 */
import { ApiKeys } from "../../src/vscode/api-keys";
import { Exclusions } from "../../src/vscode/exclusions";
import { InlineCompletions } from "../../src/vscode/inline-completions";
import { Log } from "../../src/vscode/log";
import { Session } from "../../src/vscode/session";
import { StatusBar } from "../../src/vscode/status-bar";
import { SymbolContext } from "../../src/vscode/symbol-context";
import { WorkspaceContext } from "../../src/vscode/workspace-context";
import { fakeSecrets, state } from "./fake-vscode";
import { API_KEY, MODEL, type Harness } from "./fixture-helpers";

export interface ManualSession {
  readonly session: Session;
  readonly exclusions: Exclusions;
  readonly log: Log;
  dispose(): void;
}

/**
 * A loaded session on `aicockpit.manual.baseUrl` = the fixture, with `settings` besides and
 * `apiKey` stored for it; the fake's settings, log and messages start empty.
 */
export async function manualSession(h: Harness, settings: [string, unknown][], apiKey = API_KEY): Promise<ManualSession> {
  const baseUrl = `${h.fixture.url}/v1`;
  state.settings = new Map<string, unknown>([["aicockpit.manual.baseUrl", baseUrl], ["aicockpit.requestTimeoutMs", 2000], ...settings]);
  state.log = [];
  state.messages = [];
  const keys = new ApiKeys(fakeSecrets() as never);
  await keys.set(baseUrl, apiKey);
  const log = new Log();
  const session = new Session(log, keys);
  const exclusions = new Exclusions(session, log);
  await session.reload();
  return { session, exclusions, log, dispose: () => [exclusions, session].forEach((d) => d.dispose()) };
}

export interface InlineGlue {
  readonly session: Session;
  readonly provider: InlineCompletions;
  readonly symbols: SymbolContext;
  dispose(): void;
}

/** The inline-completion provider with its workspace and symbol context and the status bar, with no debounce. */
export async function startInlineGlue(h: Harness, apiKey = API_KEY): Promise<InlineGlue> {
  const manual = await manualSession(
    h,
    [
      ["aicockpit.manual.completionModel", MODEL],
      ["aicockpit.manual.fimTemplate", "qwen"],
      ["aicockpit.debounceMs", 0],
    ],
    apiKey,
  );
  const { session, exclusions, log } = manual;
  const context = new WorkspaceContext(exclusions);
  const statusBar = new StatusBar(session);
  const symbols = new SymbolContext(exclusions);
  const provider = new InlineCompletions(session, exclusions, context, log, symbols);
  const dispose = () => {
    [statusBar, context].forEach((d) => d.dispose());
    manual.dispose();
  };
  return { session, provider, symbols, dispose };
}
