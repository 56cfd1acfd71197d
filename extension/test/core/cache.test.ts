import { CompletionCache, LruCache, typeThrough } from "../../src/core";

describe("LruCache", () => {
  test("evicts the least recently used entry; get refreshes recency", () => {
    const lru = new LruCache<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect(lru.get("b")).toBeUndefined();
    expect([...lru.valuesByRecency()]).toEqual([3, 1]);
    expect(lru.size).toBe(2);
  });
  test("rejects a zero capacity", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe("typeThrough", () => {
  test("returns the rest when typed text matches the suggestion's start", () => {
    expect(typeThrough("hello()", 4, "abc ", "abc hel")).toBe("lo()");
  });
  test("nothing on divergence, deletion, or when all was typed", () => {
    expect(typeThrough("hello()", 4, "abc ", "abc hex")).toBeUndefined();
    expect(typeThrough("hello()", 4, "abc ", "abc")).toBeUndefined();
    expect(typeThrough("hello()", 4, "abc ", "abc hello()")).toBeUndefined();
  });
  test("nothing when the text before the old cursor changed", () => {
    expect(typeThrough("hello()", 4, "abc ", "xyz hel")).toBeUndefined();
  });
});

describe("CompletionCache", () => {
  const doc = "function main() {\n  const total = ";
  const suffix = "\n}\n";

  test("exact hits are per model and position", () => {
    const cache = new CompletionCache();
    cache.set({ model: "m", prefix: doc, suffix }, "sum(items);");
    expect(cache.get({ model: "m", prefix: doc, suffix })).toEqual({ text: "sum(items);", kind: "exact", typed: "" });
    expect(cache.get({ model: "other", prefix: doc, suffix })).toBeUndefined();
    expect(cache.get({ model: "m", prefix: doc, suffix: "\n}\n// changed" })).toBeUndefined();
  });

  test("type-through: typing the suggestion's characters keeps the rest, each keystroke", () => {
    const cache = new CompletionCache();
    const suggestion = "sum(items);";
    cache.set({ model: "m", prefix: doc, suffix }, suggestion);
    let prefix = doc;
    for (let i = 1; i < suggestion.length; i++) {
      prefix += suggestion[i - 1];
      const hit = cache.get({ model: "m", prefix, suffix });
      expect(hit?.text).toBe(suggestion.slice(i));
    }
  });

  test("diverging from the suggestion is a miss", () => {
    const cache = new CompletionCache();
    cache.set({ model: "m", prefix: doc, suffix }, "sum(items);");
    expect(cache.get({ model: "m", prefix: `${doc}sux`, suffix })).toBeUndefined();
    expect(cache.get({ model: "m", prefix: `${doc}x`, suffix })).toBeUndefined();
  });

  test("going back to an earlier position is an exact hit again", () => {
    const cache = new CompletionCache();
    cache.set({ model: "m", prefix: doc, suffix }, "sum(items);");
    cache.get({ model: "m", prefix: `${doc}su`, suffix });
    expect(cache.get({ model: "m", prefix: doc, suffix })?.kind).toBe("exact");
  });

  test("only the prefix tail and suffix head form the key", () => {
    const cache = new CompletionCache({ prefixTailChars: 10, suffixHeadChars: 3 });
    cache.set({ model: "m", prefix: `AAAA${doc}`, suffix: `${suffix}tail` }, "x");
    expect(cache.get({ model: "m", prefix: `BBBB${doc}`, suffix: `${suffix}other` })?.text).toBe("x");
  });

  test("empty completions are not stored; capacity is bounded", () => {
    const cache = new CompletionCache({ capacity: 3 });
    cache.set({ model: "m", prefix: "p", suffix: "" }, "");
    expect(cache.size).toBe(0);
    for (let i = 0; i < 10; i++) cache.set({ model: "m", prefix: `p${i}`, suffix: "" }, "c");
    expect(cache.size).toBe(3);
  });
});
