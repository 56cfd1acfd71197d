/** Debian's Chromium, headless, driven by playwright-core; its profile lives in the sandbox. */
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_OFFLINE_ARGS } from "../../helpers/chromium";
import { CHROMIUM } from "./paths";
import type { Sandbox } from "./sandbox";

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(sandbox: Sandbox): Promise<Browser> {
  const context = await chromium.launchPersistentContext(sandbox.chromiumProfile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_OFFLINE_ARGS],
    env: sandbox.env(),
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
    // The runner's own signal handling closes the browser with everything else (processes.ts).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}
