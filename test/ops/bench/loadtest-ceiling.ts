/**
 * `npm run bench:loadtest`: the load generator's ceiling next to autocannon's, on the same
 * fixture endpoint in the same run. The fixture runs in its own process at zero latency and
 * streams 16-token answers; both clients keep the same number of connections busy for the same
 * time. The generator must not be what limits a load test: the issue asks for ≥ 2,000 req/s and
 * ≥ half of autocannon's figure on a 2-core machine.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import autocannon from "autocannon";
import { SeededRandom } from "../../../core/ops/random";
import { chatRequests } from "../../../core/ops/workload";
import { runLevel } from "../../../cli/ops/load-runner";
import { Cancellation, streamPool } from "../../../cli/ops/stream-request";

const REPO = path.resolve(__dirname, "../../..");
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds of each client, alternating (ABBA…) so drift in a shared machine's load hits both alike; medians are reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** 16 tokens by the fixture's tokenizer: 8 words, 7 spaces and a full stop. */
const ANSWER = "w0 w1 w2 w3 w4 w5 w6 w7.";
const TOKENS = 16;

async function startFixture(): Promise<{ baseUrl: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(REPO, "test/fixtures/vllm/cli.ts"), "--port", "0", "--chat-text", ANSWER, "--completion-text", ANSWER],
    { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the fixture did not start within 30 s")), 30_000);
    readline.createInterface({ input: child.stdout }).once("line", (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`the fixture exited (${code})`)));
  });
  const { baseUrl } = JSON.parse(line) as { baseUrl: string };
  return { baseUrl, stop: () => child.kill("SIGTERM") };
}

async function generatorCeiling(baseUrl: string): Promise<{ rps: number; ok: number; failed: number; tokens: number }> {
  const requests = chatRequests(64, new SeededRandom(1), { model: "qwen2.5-coder-7b", maxTokens: TOKENS });
  const url = new URL(baseUrl);
  const agent = streamPool(url, CONNECTIONS);
  const result = await runLevel(
    { baseUrl: url, apiKey: undefined, pool: agent },
    {
      level: { mode: "concurrency", value: CONNECTIONS },
      requests,
      durationMs: SECONDS * 1000,
      timeoutMs: 10_000,
      random: new SeededRandom(1),
    },
    new Cancellation(),
  );
  await agent.close();
  return {
    rps: result.requestsPerS,
    ok: result.requests.ok,
    failed: result.requests.failed,
    tokens: result.outputTokens / Math.max(1, result.requests.ok),
  };
}

async function autocannonCeiling(baseUrl: string): Promise<{ rps: number; ok: number; errors: number }> {
  const body = chatRequests(1, new SeededRandom(1), { model: "qwen2.5-coder-7b", maxTokens: TOKENS })[0].body;
  const result = await autocannon({
    url: `${baseUrl}/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return { rps: result.requests.average, ok: result["2xx"], errors: result.errors + result.non2xx + result.timeouts };
}

function medianBy<T>(items: T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}

async function main(): Promise<void> {
  const fixture = await startFixture();
  try {
    // Warm both paths (JIT, connections) before measuring.
    await autocannon({ url: `${fixture.baseUrl}/models`, connections: 4, duration: 1 });
    const ourRuns: Awaited<ReturnType<typeof generatorCeiling>>[] = [];
    const theirRuns: Awaited<ReturnType<typeof autocannonCeiling>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        ourRuns.push(await generatorCeiling(fixture.baseUrl));
        theirRuns.push(await autocannonCeiling(fixture.baseUrl));
      } else {
        theirRuns.push(await autocannonCeiling(fixture.baseUrl));
        ourRuns.push(await generatorCeiling(fixture.baseUrl));
      }
    }
    const ours = medianBy(ourRuns, (r) => r.rps);
    const theirs = medianBy(theirRuns, (r) => r.rps);
    const ratio = theirs.rps > 0 ? ours.rps / theirs.rps : 0;
    console.log(
      `fixture at zero latency, ${TOKENS}-token streamed answers, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (medians)`,
    );
    console.log(
      `  loadtest generator: ${ours.rps.toFixed(0)} req/s (${ours.ok} ok, ${ours.failed} failed, ${ours.tokens.toFixed(1)} tokens per answer); rounds ${ourRuns.map((r) => r.rps.toFixed(0)).join(", ")}`,
    );
    console.log(
      `  autocannon 9.0.0:   ${theirs.rps.toFixed(0)} req/s (${theirs.ok} 2xx, ${theirs.errors} errors); rounds ${theirRuns.map((r) => r.rps.toFixed(0)).join(", ")}`,
    );
    console.log(
      `  ratio ${(ratio * 100).toFixed(0)} % of autocannon; target ≥ 2000 req/s and ≥ 50 %: ${ours.rps >= 2000 && ratio >= 0.5 ? "met" : "NOT met"}`,
    );
  } finally {
    fixture.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:loadtest: ${(error as Error).message}`);
  process.exitCode = 1;
});
