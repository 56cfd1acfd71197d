/**
 * What a person does in VS Code, done through the page: the command palette, quick open,
 * typing, Tab, saving; and what they see: ghost text, the status bar, notifications, dialogs.
 * Selectors are VS Code's own DOM classes (1.139).
 */
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";

const MOD = "Control";

export interface StatusBarEntry {
  id: string;
  text: string;
  ariaLabel: string;
  icons: string[];
}

export interface Notification {
  severity: "error" | "warning" | "info";
  text: string;
}

/**
 * Page script for timeKeyToGhostText, kept as text: tsx (esbuild) would wrap named inner
 * functions of a compiled callback in a `__name` helper that does not exist in the page.
 */
const INSTALL_GHOST_TIMER = `(timeout, ignore) => {
  window.__ghostTiming = new Promise((resolve, reject) => {
    const now = () => performance.timeOrigin + performance.now();
    const stale = new Set(ignore);
    let keyAt;
    document.addEventListener("keydown", () => { if (keyAt === undefined) keyAt = now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const parts = [...document.querySelectorAll(".editor-group-container.active .monaco-editor .ghost-text-decoration")];
      const text = parts.map((el) => el.textContent || "").join("").replace(/\u00a0/g, " ");
      // A suggestion left over from before the keystroke is not the one being timed.
      if (keyAt === undefined || !text || stale.has(text)) return;
      const domAt = now();
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve({ keyAt, domAt, paintAt: now(), text }));
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("no ghost text within " + timeout + " ms of the keystroke"));
    }, timeout);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}`;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotsDir: string,
  ) {}

  async waitReady(timeoutMs = 60_000): Promise<void> {
    await this.page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: timeoutMs });
    await this.page.locator(".part.statusbar").waitFor({ state: "visible", timeout: timeoutMs });
    // The explorer shows the folder once the remote file system answers.
    await this.page.locator(".explorer-folders-view").first().waitFor({ state: "attached", timeout: timeoutMs });
  }

  /** F1, type the command's title, Enter on the entry that carries exactly that title. */
  async runCommand(title: string, timeoutMs = 15_000): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible", timeout: timeoutMs });
    await input.fill(`>${title}`);
    const row = this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".label-name", { hasText: title }) })
      .first();
    await row.waitFor({ state: "visible", timeout: timeoutMs });
    await row.click();
  }

  /** Answers an open quick input (input box or pick list) with `text` and Enter. */
  async answerQuickInput(text: string, timeoutMs = 15_000): Promise<void> {
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible", timeout: timeoutMs });
    await input.fill(text);
    await input.press("Enter");
  }

  /**
   * Closes the quick input only while it has focus: a widget still fading out can look visible
   * while focus is back in the editor, where Escape would cancel the editor's selection.
   */
  async closeQuickInput(): Promise<void> {
    const focused = await this.page.evaluate(() => Boolean(document.activeElement?.closest(".quick-input-widget")));
    if (!focused) return;
    await this.page.keyboard.press("Escape");
    await this.page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 5_000 });
  }

  /** Quick open (Ctrl+P) a workspace file and wait for its editor to have focus. */
  async openFile(relativePath: string, timeoutMs = 15_000): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press(`${MOD}+P`);
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor({ state: "visible", timeout: timeoutMs });
    await input.fill(relativePath);
    const name = path.basename(relativePath);
    const row = this.page
      .locator(".quick-input-widget .quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".label-name", { hasText: name }) })
      .first();
    await row.waitFor({ state: "visible", timeout: timeoutMs });
    await input.press("Enter");
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: timeoutMs });
    await this.activeEditor().locator(".view-lines").waitFor({ timeout: timeoutMs });
    await this.focusEditor();
  }

  activeEditor(): Locator {
    return this.page.locator(".editor-group-container.active .editor-instance .monaco-editor").first();
  }

  async focusEditor(): Promise<void> {
    const editor = this.activeEditor();
    if (!(await editor.evaluate((el) => el.classList.contains("focused")))) {
      await editor.locator("textarea, .native-edit-context").first().focus();
    }
  }

  /** Moves the cursor to the end of the document. */
  async goToEnd(): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press(`${MOD}+End`);
  }

  /**
   * Selects whole lines `from`..`to` (1-based), without the final line break, with the arrow
   * keys only (a quick input in between could swallow them), then waits until VS Code's own
   * status bar reports the selection. With `expectedChars` the selection must be exactly that
   * long: on a loaded machine a key press can land before the editor takes focus, leaving only
   * part of the range selected, so the keys are sent again (up to three times, `timeoutMs` each)
   * until it is.
   */
  async selectLines(from: number, to: number, expectedChars?: number, timeoutMs = 4_000): Promise<void> {
    const selection = this.page.locator(".part.statusbar #status\\.editor\\.selection");
    const expected = new RegExp(`^Ln ${to}, Col \\d+ \\((\\d+) selected\\)`);
    let seen = "";
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.focusEditor();
      await this.page.keyboard.press(`${MOD}+Home`);
      for (let line = 1; line < from; line++) await this.page.keyboard.press("ArrowDown");
      for (let line = from; line < to; line++) await this.page.keyboard.press("Shift+ArrowDown");
      await this.page.keyboard.press("Shift+End");
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        seen = ((await selection.textContent().catch(() => "")) ?? "").trim();
        const match = expected.exec(seen);
        if (match && (expectedChars === undefined || Number(match[1]) === expectedChars)) return;
        await this.page.waitForTimeout(50);
      }
    }
    throw new Error(
      `selecting lines ${from}-${to}${expectedChars === undefined ? "" : ` (${expectedChars} characters)`}: the status bar shows ${JSON.stringify(seen)}`,
    );
  }

  async type(text: string, delayMs = 0): Promise<void> {
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async save(): Promise<void> {
    await this.page.keyboard.press(`${MOD}+S`);
    await this.page.locator(".tabs-container .tab.active.dirty").waitFor({ state: "detached", timeout: 10_000 });
  }

  /** Ghost text on screen now: the part on the cursor line, then any further lines. */
  async ghostText(): Promise<string> {
    return this.page.evaluate(() => {
      const editor = document.querySelector(".editor-group-container.active .monaco-editor");
      if (!editor) return "";
      const inline = [...editor.querySelectorAll(".ghost-text-decoration, .ghost-text-decoration-preview")]
        .map((el) => el.textContent ?? "")
        .join("");
      const lines = [...editor.querySelectorAll(".ghost-text .view-line")].map((el) => el.textContent ?? "");
      return [inline, ...lines]
        .join("\n")
        .replace(/\u00a0/g, " ")
        .replace(/\n+$/, "");
    });
  }

  async waitForGhostText(timeoutMs = 10_000): Promise<string> {
    await this.page
      .locator(".editor-group-container.active .monaco-editor .ghost-text-decoration")
      .first()
      .waitFor({ state: "attached", timeout: timeoutMs });
    return this.ghostText();
  }

  /**
   * Asks `@participant` in the chat view, as a person would (the participant picked from the
   * `@` suggestions), and follows the answer until it stops growing. `snapshots` holds each
   * distinct text seen on the way, so a caller can tell a streamed answer from a whole one.
   */
  async chat(participant: string, message: string, timeoutMs = 30_000): Promise<{ text: string; snapshots: string[] }> {
    const input = this.page.locator(".interactive-input-part .monaco-editor").first();
    if (!(await input.isVisible())) await this.runCommand("Chat: Open Chat");
    await input.waitFor({ state: "visible", timeout: timeoutMs });
    const responses = this.page.locator(".interactive-item-container.interactive-response");
    const before = await responses.count();
    await input.click();
    // A sticky participant stays in the input after its first answer: start from an empty input.
    await this.page.keyboard.press(`${MOD}+A`);
    await this.page.keyboard.press("Backspace");
    await this.page.keyboard.type(`@${participant}`);
    // Pick the participant itself: the list may still be filtering when it first shows.
    const suggestion = this.page.locator(".suggest-widget .monaco-list-row", { hasText: new RegExp(`^@${participant}`) }).first();
    await suggestion.click({ timeout: timeoutMs });
    const typed = await input.locator(".view-lines").textContent();
    if (!typed?.startsWith(`@${participant}`)) throw new Error(`chat input holds ${JSON.stringify(typed)}, not @${participant}`);
    await this.page.keyboard.type(typed.endsWith(" ") || typed.endsWith("\u00a0") ? message : ` ${message}`);
    await this.page.keyboard.press("Enter");
    const response = responses.nth(before);
    await response.waitFor({ timeout: timeoutMs });
    const snapshots: string[] = [];
    let stableSince = Date.now();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = (
        await response
          .locator(".rendered-markdown")
          .allTextContents()
          .catch(() => [])
      )
        .join("\n")
        .trim();
      if (text && text !== snapshots.at(-1)) {
        snapshots.push(text);
        stableSince = Date.now();
      } else if (text && Date.now() - stableSince > 1500) {
        break;
      }
      await this.page.waitForTimeout(40);
    }
    return { text: snapshots.at(-1) ?? "", snapshots };
  }

  /**
   * Presses `key` and times, in the page, the keydown and the first ghost text after it: when
   * it entered the DOM and the next animation frame (when it is painted). Epoch milliseconds,
   * comparable with Date.now() in this process (same machine clock). Ghost texts in `ignore`
   * (suggestions from before the keystroke that VS Code may show again) do not count.
   */
  async timeKeyToGhostText(
    key: string,
    timeoutMs = 10_000,
    ignore: readonly string[] = [],
  ): Promise<{ keyAt: number; domAt: number; paintAt: number; text: string }> {
    await this.page.evaluate(`(${INSTALL_GHOST_TIMER})(${timeoutMs}, ${JSON.stringify(ignore)})`);
    await this.page.keyboard.press(key);
    return this.page.evaluate(
      () =>
        (window as unknown as { __ghostTiming: Promise<{ keyAt: number; domAt: number; paintAt: number; text: string }> }).__ghostTiming,
    );
  }

  async statusBar(): Promise<StatusBarEntry[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll(".part.statusbar .statusbar-item")].map((item) => ({
        id: item.id,
        text: (item.textContent ?? "").trim(),
        ariaLabel: item.querySelector("[aria-label]")?.getAttribute("aria-label") ?? item.getAttribute("aria-label") ?? "",
        icons: [...item.querySelectorAll(".codicon")].map(
          (icon) => [...icon.classList].find((c) => c.startsWith("codicon-") && c !== "codicon-modifier-spin") ?? "",
        ),
      })),
    );
  }

  async statusBarEntry(textIncludes: string): Promise<StatusBarEntry | undefined> {
    return (await this.statusBar()).find((e) => e.text.includes(textIncludes) || e.ariaLabel.includes(textIncludes));
  }

  /** Polls the status bar until an entry containing `includes` (text or label) matches `accept`. */
  async waitForStatusBar(includes: string, accept: (entry: StatusBarEntry) => boolean, timeoutMs = 20_000): Promise<StatusBarEntry> {
    const deadline = Date.now() + timeoutMs;
    let last: StatusBarEntry | undefined;
    while (Date.now() < deadline) {
      last = await this.statusBarEntry(includes);
      if (last && accept(last)) return last;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`status bar: no "${includes}" entry as expected within ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
  }

  /** Waits for a toast whose text contains `includes`. */
  async waitForNotification(includes: string, timeoutMs = 15_000): Promise<Locator> {
    const toast = this.page.locator(".notifications-toasts .notification-toast", { hasText: includes }).first();
    await toast.waitFor({ state: "visible", timeout: timeoutMs });
    return toast;
  }

  /** Toasts on screen now (not the notification center's history). */
  async notifications(): Promise<Notification[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll(".notifications-toasts .notification-toast")].map((toast) => ({
        severity: toast.querySelector(".codicon-error")
          ? ("error" as const)
          : toast.querySelector(".codicon-warning")
            ? ("warning" as const)
            : ("info" as const),
        text: (toast.querySelector(".notification-list-item-message")?.textContent ?? toast.textContent ?? "").trim(),
      })),
    );
  }

  /** Modal dialogs on screen now. */
  async dialogs(): Promise<string[]> {
    return this.page.evaluate(() => [...document.querySelectorAll(".monaco-dialog-box")].map((d) => (d.textContent ?? "").trim()));
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, "-")}.png`);
    await this.page.screenshot({ path: file, timeout: 10_000 });
    return file;
  }
}
