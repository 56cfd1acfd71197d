/**
 * A small in-memory stand-in for the parts of the `vscode` module the glue uses, so the real
 * session, provider and status bar run under Node against the vLLM fixture. Tests install it
 * with `jest.mock("vscode", () => require("./fake-vscode").vscode, { virtual: true })`.
 */
import path from "node:path";

type Listener<T> = (value: T) => void;

class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri("file", p);
  }
  static parse(text: string): Uri {
    const m = /^([a-z-]+):(?:\/\/)?(.*)$/.exec(text);
    return m ? new Uri(m[1], m[2]) : new Uri("file", text);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...parts));
  }
  static from(c: { scheme: string; path: string }): Uri {
    return new Uri(c.scheme, c.path);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = a instanceof Position ? a : new Position(a, b as number);
    this.end = a instanceof Position ? (b as Position) : new Position(c as number, d as number);
  }
  contains(other: Range): boolean {
    const le = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character <= q.character);
    return le(this.start, other.start) && le(other.end, this.end);
  }
}

class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

class LanguageModelTextPart {
  constructor(readonly value: string) {}
}

class LanguageModelToolCallPart {
  constructor(
    readonly callId: string,
    readonly name: string,
    readonly input: object,
  ) {}
}

class LanguageModelToolResultPart {
  constructor(
    readonly callId: string,
    readonly content: unknown[],
  ) {}
}

class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}

class InlineCompletionItem {
  constructor(
    readonly insertText: string,
    readonly range?: Range,
  ) {}
}

class ThemeIcon {
  constructor(readonly id: string) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted = false;
  constructor(readonly value: string) {}
}

/** A WorkspaceEdit of text replacements, applied by `workspace.applyEdit` to the fake's files. */
class WorkspaceEdit {
  readonly replacements: { uri: Uri; range: Range; text: string }[] = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.replacements.push({ uri, range, text });
  }
}

class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

const disposable = { dispose: () => undefined };

/** What the fake workspace holds; tests change it. */
export const state = {
  settings: new Map<string, unknown>(),
  files: new Map<string, string>(),
  workspaceRoot: "/ws",
  workspaceTrusted: true,
  statusBarText: "",
  log: [] as string[],
  /** Messages shown to the user, as `level: text`. */
  messages: [] as string[],
  /** Commands the glue executed, with their arguments. */
  executed: [] as { command: string; args: unknown[] }[],
  /** What the next input boxes answer (undefined: dismissed). */
  inputAnswers: [] as (string | undefined)[],
  /** What the next quick picks answer, by the label picked (undefined: dismissed); and the labels each offered. */
  quickPickAnswers: [] as (string | undefined)[],
  quickPicksShown: [] as string[][],
  /** WorkspaceEdits applied. */
  appliedEdits: 0,
  /** Workspace files `findFiles` returns, by glob. */
  foundFiles: new Map<string, string[]>(),
  /** Handlers for commands the glue executes that return values (`vscode.executeDefinitionProvider`, …). */
  commandHandlers: new Map<string, (...args: unknown[]) => unknown>(),
  /** Tools `vscode.lm.invokeTool` runs, and the calls it received. */
  toolHandlers: new Map<string, (input: unknown) => string | Promise<string>>(),
  invokedTools: [] as { name: string; input: unknown }[],
  /** The chat participant's request handler, once registered. */
  chatHandler: undefined as unknown,
  /** Extensions `vscode.extensions.getExtension` finds, by id. */
  extensions: new Map<string, { isActive: boolean; exports: unknown; activate: () => Promise<unknown> }>(),
};

const message = (level: string) => async (text: string) => {
  state.messages.push(`${level}: ${text}`);
  return undefined;
};

/** A text document over a string, with the offset/position maths the glue uses. */
export function createDocument(filePath: string, text: string, languageId = "typescript") {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const positionAt = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return new Position(line, offset - lineStarts[line]);
  };
  const offsetAt = (p: Position) => Math.min(text.length, lineStarts[p.line] + p.character);
  return {
    uri: Uri.file(filePath),
    languageId,
    version: 1,
    eol: 1,
    lineCount: lineStarts.length,
    getText: (range?: Range) => (range ? text.slice(offsetAt(range.start), offsetAt(range.end)) : text),
    offsetAt,
    positionAt,
    lineAt: (line: number) => {
      const start = lineStarts[line];
      const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
      return { text: text.slice(start, end), range: new Range(line, 0, line, end - start) };
    },
  };
}

const configChanged = new EventEmitter<unknown>();

export const vscode = {
  EventEmitter,
  WorkspaceEdit,
  TabInputTextDiff,
  Uri,
  Position,
  Range,
  InlineCompletionItem,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  Location,
  LanguageModelTextPart,
  LanguageModelToolCallPart,
  LanguageModelToolResultPart,
  LanguageModelToolResult,
  LanguageModelChatMessageRole: { User: 1, Assistant: 2 },
  LanguageModelChatToolMode: { Auto: 1, Required: 2 },
  InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
  extensions: {
    getExtension: (id: string) => state.extensions.get(id),
  },
  lm: {
    tools: [] as { name: string; description: string; inputSchema: object | undefined; tags: string[] }[],
    invokeTool: async (name: string, options: { input: unknown }) => {
      state.invokedTools.push({ name, input: options.input });
      const handler = state.toolHandlers.get(name);
      if (!handler) throw new Error(`no tool ${name}`);
      return new LanguageModelToolResult([new LanguageModelTextPart(await handler(options.input))]);
    },
  },
  chat: {
    createChatParticipant: (_id: string, handler: unknown) => {
      state.chatHandler = handler;
      return { iconPath: undefined as unknown, dispose: () => undefined };
    },
  },
  EndOfLine: { LF: 1, CRLF: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2 },
  window: {
    createOutputChannel: () => ({
      info: (m: string) => state.log.push(`info ${m}`),
      warn: (m: string) => state.log.push(`warn ${m}`),
      error: (m: string) => state.log.push(`error ${m}`),
      show: () => undefined,
      dispose: () => undefined,
    }),
    createStatusBarItem: () => {
      const item = {
        name: "",
        command: "",
        tooltip: undefined as unknown,
        backgroundColor: undefined as unknown,
        show: () => undefined,
        dispose: () => undefined,
      };
      Object.defineProperty(item, "text", { get: () => state.statusBarText, set: (t: string) => (state.statusBarText = t) });
      return item as typeof item & { text: string };
    },
    visibleTextEditors: [] as unknown[],
    activeTextEditor: undefined as unknown,
    tabGroups: { all: [] as unknown[], close: async () => true },
    withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => disposable }),
    showInformationMessage: message("info"),
    showWarningMessage: message("warning"),
    showErrorMessage: message("error"),
    showQuickPick: async <T extends { label: string }>(items: readonly T[]) => {
      state.quickPicksShown.push(items.map((item) => item.label));
      const answer = state.quickPickAnswers.shift();
      return items.find((item) => item.label === answer);
    },
    showInputBox: async () => state.inputAnswers.shift(),
    showOpenDialog: async () => undefined,
    showTextDocument: async (document: unknown) => document,
  },
  commands: {
    executeCommand: async (command: string, ...args: unknown[]) => {
      state.executed.push({ command, args });
      return state.commandHandlers.get(command)?.(...args);
    },
  },
  workspace: {
    get isTrusted() {
      return state.workspaceTrusted;
    },
    get workspaceFolders() {
      return [{ uri: Uri.file(state.workspaceRoot), name: "ws", index: 0 }];
    },
    textDocuments: [] as unknown[],
    getConfiguration: (section: string) => ({
      get: (key: string) => state.settings.get(`${section}.${key}`),
      update: async (key: string, value: unknown) => {
        state.settings.set(`${section}.${key}`, value);
        configChanged.fire({ affectsConfiguration: (s: string) => `${section}.${key}`.startsWith(s) });
      },
    }),
    onDidChangeConfiguration: configChanged.event,
    onDidChangeTextDocument: () => disposable,
    createFileSystemWatcher: () => ({
      onDidChange: () => disposable,
      onDidCreate: () => disposable,
      onDidDelete: () => disposable,
      dispose: () => undefined,
    }),
    findFiles: async (glob: string) => (state.foundFiles.get(glob) ?? []).map((file) => Uri.file(file)),
    getWorkspaceFolder: (uri?: Uri) =>
      !uri || uri.path.startsWith(`${state.workspaceRoot}/`) ? { uri: Uri.file(state.workspaceRoot), name: "ws", index: 0 } : undefined,
    registerTextDocumentContentProvider: () => disposable,
    openTextDocument: async (uri: Uri) => {
      const text = state.files.get(uri.path);
      if (text === undefined) throw new Error(`ENOENT ${uri.path}`);
      return createDocument(uri.path, text);
    },
    asRelativePath: (uri: Uri) =>
      uri.path.startsWith(`${state.workspaceRoot}/`) ? uri.path.slice(state.workspaceRoot.length + 1) : uri.path,
    /** Applies each replacement to the file's text (one edit, as VS Code applies it: one undo step). */
    applyEdit: async (edit: WorkspaceEdit) => {
      for (const { uri, range, text } of edit.replacements) {
        const current = state.files.get(uri.path);
        if (current === undefined) return false;
        const document = createDocument(uri.path, current);
        state.files.set(uri.path, current.slice(0, document.offsetAt(range.start)) + text + current.slice(document.offsetAt(range.end)));
      }
      state.appliedEdits += 1;
      return true;
    },
    fs: {
      readFile: async (uri: Uri) => {
        const text = state.files.get(uri.path);
        if (text === undefined) throw new Error(`ENOENT ${uri.path}`);
        return new TextEncoder().encode(text);
      },
    },
  },
};

/** SecretStorage in memory. */
export function fakeSecrets() {
  const values = new Map<string, string>();
  const changed = new EventEmitter<{ key: string }>();
  return {
    get: async (key: string) => values.get(key),
    store: async (key: string, value: string) => {
      values.set(key, value);
      changed.fire({ key });
    },
    delete: async (key: string) => {
      values.delete(key);
      changed.fire({ key });
    },
    onDidChange: changed.event,
  };
}

/** A cancellation token that never fires. */
export const noCancellation = { isCancellationRequested: false, onCancellationRequested: () => disposable };

/** A Memento in memory (workspaceState). */
export function fakeMemento() {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
  };
}
