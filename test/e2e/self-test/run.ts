/**
 * Harness self-test: the harness against code-server with a throwaway extension (see
 * throwaway-extension.ts), so that it is proven before and apart from the product.
 *   node_modules/.bin/tsx test/e2e/self-test/run.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { VllmFixture } from "../../fixtures/vllm/server";
import { assert, CheckSuite, runAsProcess } from "../harness/checks";
import { homeChangesSince, homeSnapshot } from "../harness/home";
import { ARTIFACTS_DIR } from "../harness/paths";
import { E2eSession } from "../harness/session";
import { profileSettings } from "../harness/settings";
import { runTempDir } from "../harness/temp-dir";
import { packageThrowawayExtension } from "./throwaway-extension";

async function main(): Promise<number> {
  const screenshotsDir = path.join(ARTIFACTS_DIR, "self-test");
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  console.log(`artifacts: ${screenshotsDir}`);
  const home = homeSnapshot();
  const buildDir = runTempDir("aicockpit-e2e-smoke-ext-");
  const fixture = await VllmFixture.start();
  let session: E2eSession | undefined;
  const suite = new CheckSuite(async (name) =>
    session && !session.disposed ? `screenshot: ${await session.workbench.screenshot(`FAILED-${name}`)}` : undefined,
  );
  try {
    const vsix = packageThrowawayExtension(buildDir);
    const started = Date.now();
    await suite.check("code-server starts and Chromium shows the workbench", async () => {
      session = await E2eSession.start({
        vsix,
        screenshotsDir,
        settings: profileSettings({ debounceMs: 0, extra: { "smoke.baseUrl": `${fixture.url}/v1` } }),
        files: { "src/main.ts": "export function add(a: number, b: number) {\n  return a + b;\n}\n" },
      });
      const t = session.timings;
      console.log(`     install ${t.installExtensionMs} ms, server up ${t.serverUpMs} ms, workbench ready ${t.workbenchReadyMs} ms`);
    });
    if (!session) return finish(suite);
    const { workbench } = session;
    await suite.check("the throwaway extension activates (status bar)", async () => {
      const ok = await workbench.page
        .locator(".part.statusbar .statusbar-item", { hasText: "Smoke ready" })
        .first()
        .waitFor({ timeout: 30_000 })
        .then(() => true);
      assert(ok, "no status bar item");
      console.log(`     cold start to an activated extension: ${Date.now() - started} ms`);
    });
    await suite.check("typing shows ghost text from the fixture, Tab puts it in the saved file", async () => {
      await workbench.openFile("src/main.ts");
      await workbench.goToEnd();
      await workbench.type("const x = ");
      const ghost = await workbench.waitForGhostText(15_000);
      assert(/^aicockpit_[0-9a-f]{8}\(\)$/.test(ghost), `ghost text ${JSON.stringify(ghost)}`);
      assert(fixture.requestsTo("/v1/completions").length > 0, "no request reached the fixture");
      await workbench.screenshot("ghost-text");
      await workbench.press("Tab");
      await workbench.save();
      const saved = session!.sandbox.readWorkspaceFile("src/main.ts");
      assert(saved.includes(`const x = ${ghost}`), `saved file:\n${saved}`);
    });
    await suite.check("@smoke in chat answers with streamed text", async () => {
      const answer = await workbench.chat("smoke", "hello there");
      assert(answer.text.includes("Fixture answer"), `chat answer ${JSON.stringify(answer)}`);
      await workbench.screenshot("chat");
    });
    await suite.check("status bar, notifications and dialogs can be read", async () => {
      const entry = await workbench.statusBarEntry("Smoke ready");
      assert(entry && entry.icons.includes("codicon-beaker"), `entry ${JSON.stringify(entry)}`);
      const toasts = await workbench.notifications();
      const dialogs = await workbench.dialogs();
      console.log(`     ${toasts.length} toasts ${JSON.stringify(toasts)}, ${dialogs.length} dialogs`);
    });
  } finally {
    if (session) {
      await suite.check("every process ends and the sandbox is removed", async () => {
        const root = session!.sandbox.root;
        const stragglers = await session!.dispose();
        assert(stragglers.length === 0, `processes outlived their group: ${stragglers.join(", ")}`);
        assert(!fs.existsSync(root), `${root} still exists`);
      });
    }
    await fixture.stop();
    await suite.check("nothing was written under the real HOME", async () => {
      const changed = homeChangesSince(home);
      assert(changed.length === 0, `changed under ${os.homedir()}: ${changed.slice(0, 20).join(", ")}`);
    });
  }
  return finish(suite);
}

function finish(suite: CheckSuite): number {
  console.log(suite.summary());
  return suite.exitCode;
}

runAsProcess(main);
