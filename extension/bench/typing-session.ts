/**
 * (b) A scripted typing session through the real CompletionController (cache, type-through,
 * adaptive debounce, cancellation) on a simulated clock, with a fake backend that counts
 * requests. The user types a target text; suggestions are sometimes right (the user types
 * along or presses Tab) and sometimes wrong (the user diverges).
 */
import { type CacheHit, CompletionCache, CompletionController, type CompletionKey } from "../src/core";
import { flushMicrotasks, ManualClock } from "../test/core/support/manual-clock";
import { seededRandom } from "./fixtures";

export interface TypingResult {
  keystrokes: number;
  tabAccepts: number;
  requests: number;
  cacheAnswers: number;
  requestsWhileTypingAlong: number;
  keystrokesTypingAlong: number;
  abortedRequests: number;
}

const TARGET =
  Array.from({ length: 60 }, (_, i) =>
    [
      `  function handler${i}(request: Request, response: Response): void {`,
      `    const body = parse(request.body, { strict: true, limit: ${i * 10} });`,
      `    response.send(render(body));`,
      "  }",
    ].join("\n"),
  ).join("\n\n") + "\n";

const PREFIX = "export class Routes {\n";
const SUFFIX = "}\n";
const WRONG = "console.log(debug);";

/** What the fake model suggests at `pos`: the rest of the line (right) or junk (wrong). */
function fakeModel(pos: number, right: boolean): string {
  if (!right) return WRONG;
  let end = TARGET.indexOf("\n", pos);
  if (end === pos) end = TARGET.indexOf("\n", pos + 1); // at a line end: suggest the next line
  return TARGET.slice(pos, end === -1 ? TARGET.length : end);
}

/** Baseline for comparison: answers only exact repeats, no type-through. */
class ExactOnlyCache extends CompletionCache {
  override get(key: CompletionKey): CacheHit | undefined {
    const hit = super.get(key);
    return hit?.kind === "exact" ? hit : undefined;
  }
}

export async function runTypingSession(options: { seed?: number; typeThrough?: boolean } = {}): Promise<TypingResult> {
  const random = seededRandom(options.seed ?? 7);
  const clock = new ManualClock();
  const cache = options.typeThrough === false ? new ExactOnlyCache() : new CompletionCache();
  const controller = new CompletionController({ debounceMs: 120, clock, cache });
  const result: TypingResult = {
    keystrokes: 0,
    tabAccepts: 0,
    requests: 0,
    cacheAnswers: 0,
    requestsWhileTypingAlong: 0,
    keystrokesTypingAlong: 0,
    abortedRequests: 0,
  };
  let pos = 0;
  let shown: string | undefined;
  let generation = 0;

  const backend =
    (at: number) =>
    (signal: AbortSignal): Promise<string> =>
      new Promise((resolve, reject) => {
        result.requests++;
        const serverMs = 50 + random() * 200; // time to the end of the stream
        const handle = clock.setTimeout(() => resolve(fakeModel(at, random() < 0.7)), serverMs);
        signal.addEventListener("abort", () => {
          clock.clearTimeout(handle);
          result.abortedRequests++;
          reject(new Error("aborted"));
        });
      });

  while (pos < TARGET.length) {
    const wanted = TARGET.slice(pos);
    const suggestionRight = shown !== undefined && wanted.startsWith(shown);
    let typingAlong = false;
    if (suggestionRight && shown && random() < 0.4) {
      pos += shown.length; // Tab accepts the whole suggestion
      result.tabAccepts++;
    } else {
      typingAlong = shown !== undefined && shown.length > 1 && shown[0] === TARGET[pos];
      pos++;
    }
    result.keystrokes++;
    if (typingAlong) result.keystrokesTypingAlong++;

    const key: CompletionKey = { model: "m", prefix: PREFIX + TARGET.slice(0, pos), suffix: SUFFIX };
    const mine = ++generation;
    shown = undefined;
    void controller.provide(key, backend(pos)).then((outcome) => {
      if (outcome.source === "cache") result.cacheAnswers++;
      if (typingAlong && (outcome.source === "network" || outcome.source === "failed")) result.requestsWhileTypingAlong++;
      if (mine === generation && (outcome.source === "cache" || outcome.source === "network")) shown = outcome.text;
    });
    await flushMicrotasks();

    // Time to the next keystroke: 70–250 ms while typing; pauses to think after punctuation
    // and at line ends (where a suggestion has time to arrive).
    const previous = TARGET[pos - 1] ?? "";
    const pauseChance = TARGET[pos] === "\n" ? 0.6 : /[ (.,{]/.test(previous) ? 0.15 : 0.02;
    await clock.advanceAsync(random() < pauseChance ? 400 + random() * 1_100 : 70 + random() * 180);
  }
  controller.cancel();
  await flushMicrotasks();
  return result;
}
