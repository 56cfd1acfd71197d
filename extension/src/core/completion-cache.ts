/**
 * Completion cache with type-through. A completion is stored under (model, end of the prefix,
 * start of the suffix). When the user then types characters that match the start of a stored
 * completion, the rest of it is returned at once: no debounce, no request.
 */
import { LruCache } from "./lru";

/** Where a completion was asked for. `prefix` is the document text before the cursor, from
 * the start of the document (only its tail is stored; its length anchors type-through). */
export interface CompletionKey {
  model: string;
  prefix: string;
  suffix: string;
}

/** Options for {@link CompletionCache}. */
export interface CompletionCacheOptions {
  capacity?: number;
  /** Characters of the prefix's end that must match. */
  prefixTailChars?: number;
  /** Characters of the suffix's start that must match. */
  suffixHeadChars?: number;
}

interface Entry {
  model: string;
  prefixLength: number;
  prefixTail: string;
  suffixHead: string;
  completion: string;
}

/** A cache answer: the text to show and how it was found. */
export interface CacheHit {
  text: string;
  /** `exact`: same position; `type-through`: the user typed `typed` from the suggestion. */
  kind: "exact" | "type-through";
  typed: string;
}

/**
 * If `currentPrefix` is `shownPrefix` plus the first characters of `suggestion`, the rest of
 * the suggestion; otherwise undefined. Prefixes are compared by their anchored tails.
 */
export function typeThrough(
  suggestion: string,
  shownPrefixLength: number,
  shownPrefixTail: string,
  currentPrefix: string,
): string | undefined {
  const typedLength = currentPrefix.length - shownPrefixLength;
  if (typedLength <= 0 || typedLength >= suggestion.length) return undefined;
  if (!currentPrefix.endsWith(suggestion.slice(0, typedLength))) return undefined;
  const tailStart = shownPrefixLength - shownPrefixTail.length;
  if (currentPrefix.slice(tailStart, shownPrefixLength) !== shownPrefixTail) return undefined;
  return suggestion.slice(typedLength);
}

/** LRU of completions, looked up exactly or by type-through. */
export class CompletionCache {
  private readonly entries: LruCache<string, Entry>;
  private readonly prefixTailChars: number;
  private readonly suffixHeadChars: number;

  constructor(options: CompletionCacheOptions = {}) {
    this.entries = new LruCache(options.capacity ?? 200);
    this.prefixTailChars = options.prefixTailChars ?? 1_000;
    this.suffixHeadChars = options.suffixHeadChars ?? 200;
  }

  get size(): number {
    return this.entries.size;
  }

  private keyOf(model: string, prefixTail: string, suffixHead: string): string {
    return `${model}\u0000${prefixTail}\u0000${suffixHead}`;
  }

  /** Stores a completion shown at `key` (empty completions are not stored). */
  set(key: CompletionKey, completion: string): void {
    if (completion === "") return;
    const prefixTail = key.prefix.slice(-this.prefixTailChars);
    const suffixHead = key.suffix.slice(0, this.suffixHeadChars);
    this.entries.set(this.keyOf(key.model, prefixTail, suffixHead), {
      model: key.model,
      prefixLength: key.prefix.length,
      prefixTail,
      suffixHead,
      completion,
    });
  }

  /** A completion for this position: exact hit first, then type-through of a recent one. */
  get(key: CompletionKey): CacheHit | undefined {
    const prefixTail = key.prefix.slice(-this.prefixTailChars);
    const suffixHead = key.suffix.slice(0, this.suffixHeadChars);
    const exact = this.entries.get(this.keyOf(key.model, prefixTail, suffixHead));
    if (exact) return { text: exact.completion, kind: "exact", typed: "" };
    for (const entry of this.entries.valuesByRecency()) {
      if (entry.model !== key.model || entry.suffixHead !== suffixHead) continue;
      const rest = typeThrough(entry.completion, entry.prefixLength, entry.prefixTail, key.prefix);
      if (rest !== undefined) {
        const typed = entry.completion.slice(0, entry.completion.length - rest.length);
        // Remember the new position too, so the next keystroke is an exact hit.
        this.set(key, rest);
        return { text: rest, kind: "type-through", typed };
      }
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}
