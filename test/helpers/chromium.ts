/** Debian's Chromium, as the e2e suite and the report test launch it. */
export const CHROMIUM = process.env.AICOCKPIT_E2E_CHROMIUM ?? "/usr/bin/chromium";

/** The machine's network is closed: without these, Chromium keeps trying to reach Google. */
export const CHROMIUM_OFFLINE_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
