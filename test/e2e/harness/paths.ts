/** Where the end-to-end tests find their tools: all installed by `npm ci --prefix test/e2e`, or by Debian. */
import path from "node:path";

export const E2E_DIR = path.resolve(__dirname, "..");
export const REPO_ROOT = path.resolve(E2E_DIR, "../..");
export const EXTENSION_DIR = path.join(REPO_ROOT, "extension");
/** Node 24 from the npm package `node`: code-server runs on nothing else. */
export const NODE24 = path.join(E2E_DIR, "node_modules/.bin/node");
export const CODE_SERVER_ENTRY = path.join(E2E_DIR, "code-server/node_modules/code-server/out/node/entry.js");
/** Debian's Chromium: Playwright's own browser download is not reachable here. */
export { CHROMIUM } from "../../helpers/chromium";
/** Screenshots and logs of a run; kept after it, git-ignored. */
export const ARTIFACTS_DIR = process.env.AICOCKPIT_E2E_ARTIFACTS ?? path.join(E2E_DIR, ".e2e-artifacts");
