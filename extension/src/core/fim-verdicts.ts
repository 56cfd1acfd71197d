/**
 * The verdict on a completion model's FIM markers (core/contract/fim.ts), one per endpoint,
 * model and family: asked once on connect, kept until the user loads the outputs again. A
 * server without a tokenize endpoint gets no verdict (completions go on without stop token
 * ids); a failed check (server down) is not kept, so the next connect asks again.
 */
import { verifyFimMarkers, type FimVerdict, type Tokenize } from "../../../core/contract/fim";
import type { FimFamily } from "./fim";

export type { FimVerdict };

/** What the check found. */
export type FimCheck = { kind: "verified"; verdict: FimVerdict } | { kind: "unavailable"; reason: string };

/** The model whose markers are checked. */
export interface FimTarget {
  baseUrl: string;
  model: string;
  fimFamily: FimFamily;
}

/** Tells "the server has no tokenize endpoint" apart from other failures. */
export type IsUnavailable = (error: unknown) => boolean;

export class FimVerdicts {
  private readonly checks = new Map<string, FimCheck>();
  private readonly running = new Map<string, Promise<FimCheck | undefined>>();

  constructor(private readonly isUnavailable: IsUnavailable) {}

  private key(target: FimTarget): string {
    return `${target.baseUrl}\u0000${target.model}\u0000${target.fimFamily}`;
  }

  /** The kept result for a model, if it was checked. */
  get(target: FimTarget): FimCheck | undefined {
    return this.checks.get(this.key(target));
  }

  /** The ids to send as `stop_token_ids` (none until verified). */
  stopTokenIds(target: FimTarget): readonly number[] {
    const check = this.get(target);
    return check?.kind === "verified" ? check.verdict.stopTokenIds : [];
  }

  /**
   * Checks the model's markers unless a result is kept (or `force`); concurrent calls share one
   * check. Resolves undefined when the check failed for another reason than a missing endpoint.
   */
  check(target: FimTarget, tokenize: Tokenize, force = false): Promise<FimCheck | undefined> {
    const key = this.key(target);
    const kept = this.checks.get(key);
    if (kept && !force) return Promise.resolve(kept);
    const running = this.running.get(key);
    if (running) return running;
    const run = (async (): Promise<FimCheck | undefined> => {
      try {
        const result: FimCheck = { kind: "verified", verdict: await verifyFimMarkers(target.fimFamily, tokenize) };
        this.checks.set(key, result);
        return result;
      } catch (error) {
        if (!this.isUnavailable(error)) return undefined;
        const result: FimCheck = { kind: "unavailable", reason: error instanceof Error ? error.message : String(error) };
        this.checks.set(key, result);
        return result;
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, run);
    return run;
  }

  /** Forgets every result (the outputs were loaded again: ask the server anew). */
  clear(): void {
    this.checks.clear();
  }
}
