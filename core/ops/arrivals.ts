/**
 * When an open-loop load test sends its requests: a Poisson process (independent arrivals,
 * exponential gaps), as many users typing at once produce, whatever the server's answers.
 */
import type { SeededRandom } from "./random";

/** Arrival times in milliseconds from the start, at `ratePerS` on average, until `untilMs` or `limit` arrivals. */
export function* poissonArrivals(ratePerS: number, random: SeededRandom, untilMs = Infinity, limit = Infinity): Generator<number> {
  if (!(ratePerS > 0)) throw new RangeError(`rate must be above 0, got ${ratePerS}`);
  let at = 0;
  for (let n = 0; n < limit; n++) {
    at += random.exponential(ratePerS) * 1000;
    if (at >= untilMs) return;
    yield at;
  }
}
