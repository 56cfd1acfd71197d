/**
 * `npm run test:e2e`: the packaged AiCockpit extension in a real VS Code (code-server),
 * driven through headless Chromium against the vLLM fixture. Prints `N passed, N failed`.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { outputsFile, startDeployment } from "./aicockpit/deployment";
import { loadOutputsThroughCommand } from "./aicockpit/load-outputs";
import { packageExtension } from "./aicockpit/package-extension";
import { assert, CheckSuite, runAsProcess } from "./harness/checks";
import { ARTIFACTS_DIR } from "./harness/paths";
import { delay, waitUntil } from "./harness/processes";
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
const TAX = "export const TAX_RATE = 0.2;\n";
const COMMIT_MESSAGE = "feat(tax): add the tax rate";

/** A git repository with history, and src/tax.ts and .env staged, for the commit-message button. */
function gitRepository(workspace: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=E2E", "-c", "user.email=e2e@example.invalid", "-c", "init.defaultBranch=main", ...args], {
      cwd: workspace,
      stdio: "pipe",
    });
  git("init", "-q");
  git("add", "src/calc.ts");
  git("commit", "-q", "-m", "feat: add area and add");
  fs.writeFileSync(path.join(workspace, "src/tax.ts"), TAX);
  git("add", "src/tax.ts", ".env");
}

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
        settings: profileSettings({ debounceMs: DEBOUNCE_MS, extra: { "git.enabled": true, "aicockpit.chat.toolCalling": true } }),
        prepareWorkspace: gitRepository,
        files: {
          "src/calc.ts": CALC,
          ".env": `E2E_SECRET=${SECRET}\n`,
          // Not the auto-discovered name: only the command finds it.
          "deploy/e2e-outputs.json": outputsFile(`${fixture.url}/v1`),
        },
      });
      const t = session.timings;
      console.log(
        `     vsix installed in ${t.installExtensionMs} ms; code-server up in ${t.serverUpMs} ms; workbench in ${t.workbenchReadyMs} ms`,
      );
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
      assert(
        deployment.served.includes(ghost),
        `ghost text ${JSON.stringify(ghost)} is none of the fixture's answers ${JSON.stringify(deployment.served.slice(-3))}`,
      );
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
      assert(
        rest === ghost.slice(along.length),
        `after typing ${JSON.stringify(along)} the ghost text is ${JSON.stringify(rest)}, not ${JSON.stringify(ghost.slice(along.length))}`,
      );
      const sent = deployment.completionRequests() - before;
      assert(sent === 0, `typing ${along.length} characters of the suggestion sent ${sent} request(s)`);
      await workbench.press("Escape");
    });

    await suite.check("asking for the next suggestion cycles to an alternative from one request with n choices", async () => {
      await workbench.openFile("src/calc.ts");
      await workbench.goToEnd();
      await workbench.press("Enter");
      await workbench.type("const third = ");
      await workbench.waitForGhostText(15_000);
      const first = await settledGhostText();
      const before = fixture.requestsTo("/v1/completions").length;
      await workbench.press("Alt+]"); // Show Next Inline Suggestion
      let next = first;
      await waitUntil(
        async () => {
          next = await workbench.ghostText();
          return next !== "" && next !== first;
        },
        15_000,
        100,
      );
      assert(next !== first, `the ghost text stayed ${JSON.stringify(first)}`);
      assert(deployment.served.includes(next), `alternative ${JSON.stringify(next)} is none of the fixture's answers`);
      const asked = fixture
        .requestsTo("/v1/completions")
        .slice(before)
        .map((r) => (r.body as { n?: number }).n);
      assert(asked.length === 1 && asked[0] === 3, `alternatives came from requests with n = ${JSON.stringify(asked)}, not one with n = 3`);
      console.log(`     ${JSON.stringify(first)} → ${JSON.stringify(next)}`);
      await workbench.press("Escape");
      await workbench.press("Enter");
    });

    await suite.check("AiCockpit: Edit Selection with Instruction transforms the selection after accept", async () => {
      const chatRequests = fixture.requestsTo("/v1/chat/completions").length;
      script.chatQueue.push(`Here is the edit:\n\n\`\`\`typescript\n${EDITED_AREA}\n\`\`\`\n`);
      await workbench.openFile("src/calc.ts");
      const areaLines = s.sandbox.readWorkspaceFile("src/calc.ts").split("\n").slice(0, 3).join("\n");
      await workbench.selectLines(1, 3, areaLines.length);
      await workbench.runCommand("AiCockpit: Edit Selection with Instruction");
      await workbench.answerQuickInput("name the parameters in full and declare the return type");
      const toast = await workbench.waitForNotification("apply the proposed edit", 20_000);
      const sent = fixture.requestsTo("/v1/chat/completions").slice(chatRequests);
      const selected = JSON.stringify(sent.map((r) => r.body));
      assert(
        selected.includes(JSON.stringify(areaLines).slice(1, -1)),
        `the edit request did not carry lines 1-3: ${selected.slice(0, 600)}`,
      );
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

    await suite.check("@aicockpit reads a workspace file through a VS Code tool call and answers from it", async () => {
      const chatRequests = fixture.requestsTo("/v1/chat/completions").length;
      script.chatQueue.push({ toolCalls: [{ name: "aicockpit_readFile", arguments: '{"path": "src/calc.ts"}' }] });
      script.chatQueue.push("calc.ts defines area and add.");
      // Should VS Code ask before running the tool, answer as a person would.
      let asking = true;
      const confirm = (async () => {
        while (asking) {
          const button = workbench.page.locator(".interactive-item-container .monaco-button", { hasText: /^(Allow|Continue)$/ }).first();
          if (await button.isVisible().catch(() => false)) await button.click().catch(() => undefined);
          await delay(200);
        }
      })();
      const answer = await workbench.chat("aicockpit", "which functions does src/calc.ts define?").finally(() => (asking = false));
      await confirm;
      const bodies = fixture
        .requestsTo("/v1/chat/completions")
        .slice(chatRequests)
        .map((r) => r.body as { messages: { role: string; content: string }[]; tools?: { function: { name: string } }[] });
      assert(bodies.length === 2, `${bodies.length} chat request(s), not 2 (the call, then the answer)`);
      const toolMessage = bodies[1].messages.find((m) => m.role === "tool");
      const offered = (bodies[0].tools ?? []).map((t) => t.function.name);
      assert(
        offered.includes("aicockpit_readFile"),
        `the first request offered ${JSON.stringify(offered)}, not aicockpit_readFile; tool result: ${JSON.stringify(toolMessage)}`,
      );
      assert(toolMessage?.content.includes("export function add") === true, `the tool result sent back: ${JSON.stringify(toolMessage)}`);
      assert(answer.text.includes("calc.ts defines area and add."), `answer: ${JSON.stringify(answer.text)}`);
    });

    await suite.check(
      "a server whose tokenizer splits the FIM markers: a warning names the marker and the status bar says so",
      async () => {
        script.splitFimFamilies = ["qwen"];
        try {
          await workbench.runCommand("AiCockpit: Load Deployment Outputs");
          const toast = await workbench.waitForNotification("splits the qwen FIM marker", 20_000);
          const text = (await toast.textContent()) ?? "";
          assert(text.includes("<|fim_prefix|>"), `warning: ${JSON.stringify(text)}`);
          const entry = await workbench.waitForStatusBar("AiCockpit", (e) => e.text.includes("FIM markers split"), 20_000);
          console.log(`     status: ${JSON.stringify(entry.text)}`);
        } finally {
          script.splitFimFamilies = [];
          await workbench.runCommand("AiCockpit: Load Deployment Outputs");
          await workbench.waitForStatusBar("AiCockpit", (e) => !e.text.includes("FIM markers split"), 20_000);
        }
      },
    );

    await suite.check("the Source Control view's Generate Commit Message button writes the message from the staged diff", async () => {
      const chatRequests = fixture.requestsTo("/v1/chat/completions").length;
      script.chatQueue.push(COMMIT_MESSAGE);
      await workbench.page.locator('.part.activitybar [aria-label*="Source Control"]').first().click();
      const button = workbench.page.locator('.part.sidebar [aria-label*="Generate Commit Message"]').first();
      await button.waitFor({ state: "visible", timeout: 30_000 });
      await button.click();
      const inputBox = workbench.page.locator(".part.sidebar .scm-editor .view-lines").first();
      const written = await waitUntil(
        async () => ((await inputBox.textContent()) ?? "").replace(/\u00a0/g, " ").includes(COMMIT_MESSAGE),
        20_000,
      );
      assert(written, `the commit input box holds ${JSON.stringify(await inputBox.textContent())}`);
      const body = JSON.stringify(
        fixture
          .requestsTo("/v1/chat/completions")
          .slice(chatRequests)
          .map((r) => r.body),
      );
      assert(body.includes("TAX_RATE"), "the staged diff did not reach the model");
      assert(!body.includes(SECRET) && !body.includes(".env"), "the staged .env reached the model");
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
  console.log(`e2e wall time ${process.uptime().toFixed(1)} s`);
  console.log(suite.summary());
  return suite.exitCode;
}

runAsProcess(main);
