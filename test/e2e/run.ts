/**
 * `npm run test:e2e`: the packaged AiCockpit extension in a real VS Code (code-server),
 * driven through headless Chromium against the vLLM fixture. Prints `N passed, N failed`.
 */
import fs from "node:fs";
import path from "node:path";
import { outputsFile, startDeployment } from "./aicockpit/deployment";
import { loadOutputsThroughCommand } from "./aicockpit/load-outputs";
import { packageExtension } from "./aicockpit/package-extension";
import { assert, CheckSuite } from "./harness/checks";
import { ARTIFACTS_DIR } from "./harness/paths";
import { delay } from "./harness/processes";
import { E2eSession } from "./harness/session";
import { profileSettings } from "./harness/settings";
import { runTempDir } from "./harness/temp-dir";
import { homeSnapshot, homeChangesSince } from "./harness/home";

const DEBOUNCE_MS = 50;
const SECRET = "never-send-me-7f3a91";
const CALC = [
  "export function area(w: number, h: number) {",
  "  return w * h;",
  "}",
  "",
  "export function add(a: number, b: number) {",
  "  return a + b;",
  "}",
  "",
].join("\n");
const EDITED_AREA = ["export function area(width: number, height: number): number {", "  return width * height;", "}"].join("\n");

async function main(): Promise<number> {
  const screenshotsDir = path.join(ARTIFACTS_DIR, "e2e");
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  console.log(`artifacts (screenshots of failed checks, one of ghost text): ${screenshotsDir}`);
  const home = homeSnapshot();
  const buildDir = runTempDir("aicockpit-e2e-vsix-");
  const deployment = await startDeployment({ ttftMs: 30, tokensPerSecond: 200 });
  const { fixture, script } = deployment;
  let session: E2eSession | undefined;
  const suite = new CheckSuite(async (name) => {
    if (!session || session.disposed) return undefined;
    const logTail = session.serverLog().trimEnd().split("\n").slice(-15).join("\n");
    return `screenshot: ${await session.workbench.screenshot(`FAILED-${name}`)}\ncode-server log (last lines):\n${logTail}`;
  });
  const started = Date.now();
  try {
    let vsix: string | undefined;
    await suite.check("the extension packages (npm run package)", async () => {
      const packaged = await packageExtension(buildDir);
      vsix = packaged.vsix;
      console.log(`     packaged in ${packaged.ms} ms`);
    });
    if (!vsix) return finish(suite, "the extension could not be packaged: no other check can run");

    await suite.check("code-server starts with the extension installed and Chromium shows the workbench", async () => {
      session = await E2eSession.start({
        vsix,
        screenshotsDir,
        settings: profileSettings({ debounceMs: DEBOUNCE_MS }),
        files: {
          "src/calc.ts": CALC,
          ".env": `E2E_SECRET=${SECRET}\n`,
          // Not the auto-discovered name: only the command finds it.
          "deploy/e2e-outputs.json": outputsFile(`${fixture.url}/v1`),
        },
      });
      const t = session.timings;
      console.log(`     vsix installed in ${t.installExtensionMs} ms; code-server up in ${t.serverUpMs} ms; workbench in ${t.workbenchReadyMs} ms`);
    });
    if (!session) return finish(suite, "VS Code did not start: no other check can run");
    const s = session;
    const { workbench } = s;
    /** The suggestion once any request still in flight has landed (a later answer may replace the first). */
    const settledGhostText = async () => {
      await delay(DEBOUNCE_MS * 3 + 300);
      const ghost = await workbench.ghostText();
      assert(ghost !== "", "the ghost text went away");
      return ghost;
    };

    await suite.check("the extension activates (status bar shows AiCockpit)", async () => {
      const entry = await workbench.waitForStatusBar("AiCockpit", (e) => e.icons.includes("codicon-hubot"), 60_000);
      console.log(`     cold start to an activated extension: ${Date.now() - started} ms (status: ${JSON.stringify(entry.text)})`);
    });

    await suite.check("AiCockpit: Load Deployment Outputs loads the outputs file and asks for the API key", async () => {
      const status = await loadOutputsThroughCommand(workbench, deployment);
      console.log(`     status: ${JSON.stringify(status)}`);
    });

    await suite.check("a .env file (matched by aicockpit.exclude) gets no ghost text and sends no request", async () => {
      const before = deployment.completionRequests();
      await workbench.openFile(".env");
      await workbench.goToEnd();
      await workbench.type("API_");
      await delay(DEBOUNCE_MS * 3 + 1500);
      assert((await workbench.ghostText()) === "", `ghost text in .env: ${JSON.stringify(await workbench.ghostText())}`);
      assert(deployment.completionRequests() === before, "typing in .env sent a completion request");
      // .env stays open: the completions below would carry it as a neighbouring file were it not excluded.
    });

    await suite.check("typing produces ghost text from the server, and Tab puts it in the saved file", async () => {
      await workbench.openFile("src/calc.ts");
      await workbench.goToEnd();
      await workbench.type("const total = ");
      await workbench.waitForGhostText(15_000);
      const ghost = await settledGhostText();
      assert(deployment.served.includes(ghost), `ghost text ${JSON.stringify(ghost)} is none of the fixture's answers ${JSON.stringify(deployment.served.slice(-3))}`);
      await workbench.screenshot("ghost-text");
      await workbench.press("Tab");
      await workbench.save();
      const saved = s.sandbox.readWorkspaceFile("src/calc.ts");
      assert(saved.includes(`const total = ${ghost}`), `saved file does not hold the suggestion:\n${saved}`);
    });

    await suite.check("typing along the suggestion sends no new request", async () => {
      await workbench.press("End");
      await workbench.press("Enter");
      await workbench.type("const other = ");
      await workbench.waitForGhostText(15_000);
      const ghost = await settledGhostText();
      const before = deployment.completionRequests();
      const along = ghost.slice(0, 6);
      for (const ch of along) {
        await workbench.type(ch);
        await delay(80);
      }
      await delay(DEBOUNCE_MS * 3 + 500);
      const rest = await workbench.ghostText();
      assert(rest === ghost.slice(along.length), `after typing ${JSON.stringify(along)} the ghost text is ${JSON.stringify(rest)}, not ${JSON.stringify(ghost.slice(along.length))}`);
      const sent = deployment.completionRequests() - before;
      assert(sent === 0, `typing ${along.length} characters of the suggestion sent ${sent} request(s)`);
      await workbench.press("Escape");
    });

    await suite.check("AiCockpit: Edit Selection with Instruction transforms the selection after accept", async () => {
      const chatRequests = fixture.requestsTo("/v1/chat/completions").length;
      script.chatQueue.push(`Here is the edit:\n\n\`\`\`typescript\n${EDITED_AREA}\n\`\`\`\n`);
      await workbench.openFile("src/calc.ts");
      await workbench.selectLines(1, 3);
      await workbench.runCommand("AiCockpit: Edit Selection with Instruction");
      await workbench.answerQuickInput("name the parameters in full and declare the return type");
      const toast = await workbench.waitForNotification("apply the proposed edit", 20_000);
      await toast.getByRole("button", { name: "Accept" }).click();
      await workbench.page.locator(".tabs-container .tab.active.dirty").waitFor({ timeout: 10_000 });
      await workbench.save();
      const saved = s.sandbox.readWorkspaceFile("src/calc.ts");
      assert(saved.startsWith(`${EDITED_AREA}\n\nexport function add(a: number, b: number) {`), `saved file:\n${saved}`);
      assert(fixture.requestsTo("/v1/chat/completions").length > chatRequests, "the edit sent no chat request");
    });

    await suite.check("@aicockpit in chat answers with streamed text", async () => {
      const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
      script.chatQueue.push(`Streamed from the fixture: ${words}.`);
      script.tokensPerSecond = 40; // about 2 s of streaming, so that partial answers are visible
      try {
        const answer = await workbench.chat("aicockpit", "what does area do?");
        assert(answer.text.includes(`Streamed from the fixture: ${words}`), `answer: ${JSON.stringify(answer.text)}`);
        assert(answer.snapshots.length >= 3, `the answer appeared in ${answer.snapshots.length} step(s), not streamed`);
        console.log(`     answer grew in ${answer.snapshots.length} steps`);
      } finally {
        script.tokensPerSecond = 200;
      }
    });

    await suite.check("with the server stopped the status bar says unreachable and no error dialogs flood the screen", async () => {
      await fixture.stop();
      await workbench.openFile("src/calc.ts");
      await workbench.goToEnd();
      for (let i = 0; i < 5; i++) {
        await workbench.press("Enter");
        await workbench.type(`const late${i} = `);
        await delay(DEBOUNCE_MS * 2 + 300);
      }
      const entry = await workbench.waitForStatusBar("AiCockpit", (e) => e.text.includes("unreachable"), 30_000);
      await delay(2000);
      const toasts = await workbench.notifications();
      const errors = toasts.filter((t) => t.severity === "error");
      const dialogs = await workbench.dialogs();
      assert(dialogs.length === 0, `modal dialogs: ${JSON.stringify(dialogs)}`);
      assert(errors.length <= 1, `${errors.length} error toasts: ${JSON.stringify(errors)}`);
      console.log(`     status: ${JSON.stringify(entry.text)}; ${toasts.length} toast(s) on screen`);
    });

    await suite.check(".env content never reached the server (fixture's recorded bodies)", async () => {
      const leaked = fixture.requests.filter((r) => JSON.stringify(r.body ?? "").includes(SECRET));
      assert(fixture.requestsTo("/v1/completions").length > 0, "no completion request recorded at all");
      assert(leaked.length === 0, `${leaked.length} request(s) carried .env content: ${leaked.map((r) => r.path).join(", ")}`);
    });
  } finally {
    if (session) {
      const root = session.sandbox.root;
      await suite.check("every process the run started has ended and the sandbox is removed", async () => {
        const stragglers = await session!.dispose();
        assert(stragglers.length === 0, `processes outlived their group: ${stragglers.join(", ")}`);
        assert(!fs.existsSync(root), `${root} still exists`);
      });
    }
    await fixture.stop().catch(() => undefined);
    await suite.check("nothing was written under the real HOME", async () => {
      const changed = homeChangesSince(home);
      assert(changed.length === 0, `changed: ${changed.slice(0, 20).join(", ")}`);
    });
  }
  return finish(suite);
}

function finish(suite: CheckSuite, note?: string): number {
  if (note) console.log(note);
  if (suite.failed > 0) console.log(`screenshots of the failed checks: ${path.join(ARTIFACTS_DIR, "e2e")}`);
  console.log(`e2e wall time ${(process.uptime()).toFixed(1)} s`);
  console.log(suite.summary());
  return suite.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
