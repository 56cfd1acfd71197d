/**
 * The user settings of the test profile: a quiet VS Code (no trust prompt, no telemetry,
 * no welcome page, no built-in AI competing for ghost text) plus the AiCockpit settings a
 * test asks for.
 */
export interface ProfileOptions {
  /** Milliseconds the extension waits after a keystroke before asking for a completion. */
  debounceMs: number;
  /** Extra `aicockpit.*` (or any other) settings. */
  extra?: Record<string, unknown>;
}

export function profileSettings(options: ProfileOptions): Record<string, unknown> {
  return {
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "chat.commandCenter.enabled": false,
    // Extension chat participants are offered in Ask mode only; Agent mode is the default.
    "chat.agent.enabled": false,
    "github.copilot.enable": { "*": false },
    "editor.inlineSuggest.enabled": true,
    // Words and snippets in a suggest widget would hide ghost text and take the Tab key.
    "editor.quickSuggestions": { other: "off", comments: "off", strings: "off" },
    "editor.suggestOnTriggerCharacters": false,
    "editor.wordBasedSuggestions": "off",
    "editor.acceptSuggestionOnEnter": "off",
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.autoIndent": "none",
    "editor.formatOnType": false,
    "editor.minimap.enabled": false,
    "files.autoSave": "off",
    "files.insertFinalNewline": false,
    "files.trimTrailingWhitespace": false,
    "git.enabled": false,
    "aicockpit.debounceMs": options.debounceMs,
    ...options.extra,
  };
}
