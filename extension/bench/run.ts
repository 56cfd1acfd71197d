/**
 * `npm run bench` (in extension/): prints client-side completion time and the typing-session
 * request counts. Figures are printed, not asserted; targets are shown next to them.
 */
import { runCompletionLatency } from "./completion-latency";
import { runTypingSession } from "./typing-session";

const ms = (n: number): string => `${n.toFixed(3)} ms`;

async function main(): Promise<void> {
  const latency = runCompletionLatency();
  console.log("AiCockpit extension benchmark (client side only, no network)");
  console.log("");
  console.log(
    `(a) time per completion on a ${latency.lines.toLocaleString("en")}-line TypeScript file, ${latency.samples} cursor positions × ${latency.runs} runs`,
  );
  console.log(
    "    exclusion + cache lookup + symbols near the cursor (cached definitions) + context + prompt build + SSE parse + early stop + post-processing + cache store",
  );
  const { best, raw } = latency;
  console.log(
    `    best of ${latency.runs} per position: p50 ${ms(best.p50)}   p95 ${ms(best.p95)}   max ${ms(best.max)}   (target p95 < 5 ms: ${best.p95 < 5 ? "met" : "NOT met"})`,
  );
  console.log(`    every run (incl. scheduler/GC noise): p50 ${ms(raw.p50)}   p95 ${ms(raw.p95)}   max ${ms(raw.max)}`);
  console.log(
    `    mean prompt ${latency.meanPromptChars.toLocaleString("en")} chars, ${latency.meanSymbols.toFixed(1)} cached definitions, ${(latency.singleLineShare * 100).toFixed(0)}% single-line`,
  );
  console.log("");

  const typing = await runTypingSession();
  console.log("(b) scripted typing session (simulated clock, fake backend, 70% right suggestions)");
  console.log(`    keystrokes                              ${typing.keystrokes}`);
  console.log(`      of which typing along a suggestion    ${typing.keystrokesTypingAlong}`);
  console.log(`      of which Tab accepts                  ${typing.tabAccepts}`);
  console.log(
    `    requests sent                           ${typing.requests}  (${(typing.requests / typing.keystrokes).toFixed(2)} per keystroke)`,
  );
  console.log(`      aborted (superseded in flight)        ${typing.abortedRequests}`);
  console.log(`    answered from cache / type-through      ${typing.cacheAnswers}`);
  console.log(
    `    requests while typing along a shown suggestion: ${typing.requestsWhileTypingAlong}  (target 0: ${typing.requestsWhileTypingAlong === 0 ? "met" : "NOT met"})`,
  );
  const baseline = await runTypingSession({ typeThrough: false });
  console.log(
    `    same session without type-through: ${baseline.requests} requests, ${baseline.requestsWhileTypingAlong} of them while typing along (${baseline.keystrokes} keystrokes)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
