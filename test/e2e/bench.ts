/**
 * `npm run bench:e2e`: keystroke → ghost text visible in a real VS Code, with the vLLM fixture
 * at 30 ms time to first token and 200 tokens/s. Each sample types a new line, pauses (as a
 * person does before the suggestion they wait for), then times one more keystroke until the
 * suggestion is painted. Runs twice: with the default debounce (120 ms, adaptive) in force,
 * and with `aicockpit.debounceMs: 0`, where visible − fixture time is all extension (plus
 * VS Code's own inline-suggest scheduling). Prints figures; asserts nothing about speed.
 */
import fs from "node:fs";
import path from "node:path";
import { outputsFile, startDeployment, type Deployment } from "./aicockpit/deployment";
import { loadOutputsThroughCommand } from "./aicockpit/load-outputs";
import { packageExtension } from "./aicockpit/package-extension";
import { splitTokens } from "../fixtures/vllm/openai-script";
import { ARTIFACTS_DIR } from "./harness/paths";
import { delay, waitUntil } from "./harness/processes";
import { E2eSession } from "./harness/session";
import { profileSettings } from "./harness/settings";
import { runTempDir } from "./harness/temp-dir";
import { percentile, summarize } from "./harness/stats";
import { packageThrowawayExtension } from "./self-test/throwaway-extension";

const TTFT_MS = 30;
const TOKENS_PER_SECOND = 200;
const SAMPLES = Number(process.env.AICOCKPIT_BENCH_SAMPLES ?? 30);
const WARMUP = 3;
/** Longer than the debouncer's idle threshold (1 s), so every sample starts from the same state. */
const PAUSE_MS = 1300;
const DEFAULT_DEBOUNCE_MS = 120;

interface Sample {
  visibleMs: number;
  domMs: number;
  /** Keystroke until the request reached the fixture: debounce, VS Code's scheduling, prompt building, HTTP. */
  toRequestMs: number;
  /** Nominal time the fixture took from request to last token: TTFT + (tokens − 1) / rate. */
  fixtureMs: number;
}

async function main(): Promise<void> {
  const buildDir = runTempDir("aicockpit-bench-vsix-");
  const deployment = await startDeployment({ ttftMs: TTFT_MS, tokensPerSecond: TOKENS_PER_SECOND });
  const sessions: E2eSession[] = [];
  const open = async (vsix: string, settings: Record<string, unknown>) => {
    const session = await E2eSession.start({
      vsix,
      settings,
      screenshotsDir: path.join(ARTIFACTS_DIR, "bench"),
      files: { "src/bench.ts": "export const seed = 1;\n", "deploy/e2e-outputs.json": outputsFile(`${deployment.fixture.url}/v1`) },
    });
    sessions.push(session);
    return session;
  };
  try {
    const { vsix } = await packageExtension(buildDir);
    // One fresh VS Code per setting: a changed settings.json is not reliably picked up mid-run.
    const aicockpitRun = async (debounceMs: number, tag: string) => {
      const session = await open(vsix, profileSettings({ debounceMs }));
      await session.workbench.waitForStatusBar("AiCockpit", (e) => e.icons.includes("codicon-hubot"), 60_000);
      await loadOutputsThroughCommand(session.workbench, deployment);
      await session.workbench.openFile("src/bench.ts");
      const samples = await sampleRun(session, deployment, tag);
      profiles.push(`${tag}: ${await clientProfile(session)}`);
      await session.dispose();
      return samples;
    };
    const withDebounce = await aicockpitRun(DEFAULT_DEBOUNCE_MS, "d120");
    const noDebounce = await aicockpitRun(0, "d0");

    const minimal = await open(
      packageThrowawayExtension(path.join(buildDir, "minimal")),
      profileSettings({
        debounceMs: 0,
        extra: { "smoke.baseUrl": `${deployment.fixture.url}/v1`, "smoke.apiKey": deployment.apiKey },
      }),
    );
    await minimal.workbench.waitForStatusBar("Smoke ready", () => true, 60_000);
    await minimal.workbench.openFile("src/bench.ts");
    const floor = await sampleRun(minimal, deployment, "floor");

    report(withDebounce, noDebounce, floor);
  } finally {
    for (const session of sessions) await session.dispose();
    await deployment.fixture.stop().catch(() => undefined);
  }
}

function report(withDebounce: Sample[], noDebounce: Sample[], floor: Sample[]): void {
  const p50 = (samples: Sample[], pick: (s: Sample) => number) => percentile(samples.map(pick), 50);
  const fixtureMs = p50(withDebounce, (s) => s.fixtureMs);
  // The debounce the extension applied after the pause: how much later the request left with it than without.
  const appliedDebounce = p50(withDebounce, (s) => s.toRequestMs) - p50(noDebounce, (s) => s.toRequestMs);
  const line = (label: string, values: number[]) => console.log(`  ${label.padEnd(44)} ${summarize(values)}`);
  console.log("");
  console.log(`keystroke → ghost text visible (painted) in code-server 4.139.1 + headless Chromium, ${SAMPLES} completions per run`);
  console.log(`fixture: TTFT ${TTFT_MS} ms, ${TOKENS_PER_SECOND} tokens/s, time to last token ${fixtureMs.toFixed(1)} ms (nominal)`);
  console.log(
    `AiCockpit, debounce in force (aicockpit.debounceMs ${DEFAULT_DEBOUNCE_MS}, adaptive: ≈${appliedDebounce.toFixed(0)} ms applied after a pause):`,
  );
  line(
    "visible",
    withDebounce.map((s) => s.visibleMs),
  );
  line(
    "keystroke → request at fixture",
    withDebounce.map((s) => s.toRequestMs),
  );
  line(
    "extension-added (visible − fixture − debounce)",
    withDebounce.map((s) => s.visibleMs - s.fixtureMs - appliedDebounce),
  );
  console.log("AiCockpit, aicockpit.debounceMs 0:");
  line(
    "visible",
    noDebounce.map((s) => s.visibleMs),
  );
  line(
    "keystroke → request at fixture",
    noDebounce.map((s) => s.toRequestMs),
  );
  const added = noDebounce.map((s) => s.visibleMs - s.fixtureMs);
  line("extension-added (visible − fixture)", added);
  console.log("floor: a minimal provider (one plain request, no debounce, no context) in the same VS Code:");
  line(
    "visible",
    floor.map((s) => s.visibleMs),
  );
  line(
    "keystroke → request at fixture",
    floor.map((s) => s.toRequestMs),
  );
  line(
    "VS Code + code-server's own share (visible − fixture)",
    floor.map((s) => s.visibleMs - s.fixtureMs),
  );
  const overFloor = percentile(added, 50) - p50(floor, (s) => s.visibleMs - s.fixtureMs);
  console.log(`AiCockpit over the minimal provider (p50, debounce 0): ${overFloor.toFixed(1)} ms`);
  for (const profile of profiles) console.log(`client-side profile, ${profile}`);
  console.log(`samples retried: ${retried.length}${retried.length ? ` (${retried.slice(0, 5).join("; ")})` : ""}`);
  const addedP50 = percentile(added, 50);
  console.log(
    `target: extension-added p50 under 20 ms — ${addedP50 < 20 ? "met" : "not met"} (${addedP50.toFixed(1)} ms, of which VS Code's own share p50 ${p50(floor, (s) => s.visibleMs - s.fixtureMs).toFixed(1)} ms)`,
  );
}

/** Tries of one sample before the run gives up: a sample is retried, not the whole run lost. */
const SAMPLE_TRIES = 3;

/**
 * One timed sample. Undefined (retry) when the ghost text is not the answer to a request sent
 * after the keystroke, or when none shows in time: VS Code can show a suggestion from an
 * earlier request again (the first runs of this bench stopped there), and on a busy machine a
 * keystroke can be late. Old suggestions are ignored by the page timer as well.
 */
async function sampleOnce(session: E2eSession, deployment: Deployment, line: string): Promise<Sample | string> {
  const { workbench } = session;
  await workbench.goToEnd();
  await workbench.press("Escape");
  await workbench.press("Enter");
  await workbench.type(line);
  await delay(PAUSE_MS);
  await workbench.press("Escape"); // hide the suggestion for the prefix: the timed one must be new
  await waitUntil(async () => (await workbench.ghostText()) === "", 2000);
  const requestsBefore = deployment.fixture.requestsTo("/v1/completions").length;
  const servedBefore = deployment.served.length;
  let timing: Awaited<ReturnType<typeof workbench.timeKeyToGhostText>>;
  try {
    timing = await workbench.timeKeyToGhostText("Space", 10_000, deployment.served.slice(0, servedBefore));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await workbench.press("Escape");
  }
  const answered = deployment.served.indexOf(timing.text, servedBefore);
  const request = deployment.fixture.requestsTo("/v1/completions")[requestsBefore + (answered - servedBefore)];
  if (answered === -1 || !request)
    return `ghost text ${JSON.stringify(timing.text)} is none of the answers since the keystroke ${JSON.stringify(deployment.served.slice(servedBefore))}`;
  const tokens = splitTokens(timing.text).length;
  return {
    visibleMs: timing.paintAt - timing.keyAt,
    domMs: timing.domAt - timing.keyAt,
    toRequestMs: request.receivedAt - timing.keyAt,
    fixtureMs: TTFT_MS + ((tokens - 1) * 1000) / TOKENS_PER_SECOND,
  };
}

async function sampleRun(session: E2eSession, deployment: Deployment, tag: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < SAMPLES + WARMUP; i++) {
    let sample: Sample | string = "not tried";
    for (let attempt = 0; attempt < SAMPLE_TRIES; attempt++) {
      sample = await sampleOnce(session, deployment, `let ${tag}_${i}_${attempt} =`);
      if (typeof sample !== "string") break;
      retried.push(`${tag} sample ${i}: ${sample}`);
    }
    if (typeof sample === "string") throw new Error(`${tag} sample ${i}: ${SAMPLE_TRIES} tries failed, the last: ${sample}`);
    if (i >= WARMUP) samples.push(sample);
  }
  return samples;
}

/** The extension's own client-side profile of each run, from its log ("AiCockpit: Show Log" writes it). */
const profiles: string[] = [];

async function clientProfile(session: E2eSession): Promise<string> {
  await session.workbench.runCommand("AiCockpit: Show Log");
  await delay(1500);
  const logs: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.includes("AiCockpit") && entry.name.endsWith(".log")) logs.push(full);
    }
  };
  walk(session.sandbox.userDataDir);
  const lines = logs.flatMap((f) => fs.readFileSync(f, "utf8").split("\n")).filter((l) => l.includes("client-side profile:"));
  return lines.at(-1)?.replace(/^.*client-side profile: /, "") ?? "no profile in the log";
}

/** Samples that had to be taken again, and why (printed with the figures). */
const retried: string[] = [];

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
