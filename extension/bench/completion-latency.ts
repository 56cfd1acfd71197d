/**
 * (a) Client-side time per completion on a 5,000-line file: exclusion check, cache lookup,
 * symbols near the cursor + their cached definitions, context assembly + prompt build, SSE
 * parse + early stop, post-processing, cache store. The network and the language server are
 * not part of it: the SSE stream is pre-generated and the definitions are cached, as the glue
 * has them after the first lookup (symbol-context.ts).
 */
import { performance } from "node:perf_hooks";
import {
  completionChunk,
  CompletionCache,
  createAccumulator,
  createExclusionMatcher,
  type ExclusionMatcher,
  finishCompletion,
  identifiersNearCursor,
  percentile,
  planCompletion,
  SseParser,
  type SymbolSnippet,
} from "../src/core";
import { generateTypeScriptFile, otherOpenFiles, seededRandom, sseChunks } from "./fixtures";

export interface LatencyResult {
  lines: number;
  samples: number;
  /** Per cursor position, the best of `runs` runs: the intrinsic cost without scheduler noise. */
  best: { p50: number; p95: number; max: number };
  /** Every single measurement, noise included. */
  raw: { p50: number; p95: number; max: number };
  runs: number;
  meanPromptChars: number;
  singleLineShare: number;
  /** Mean cached definitions in a prompt. */
  meanSymbols: number;
}

const SINGLE = sseChunks("computeTotal(input, factor);\n    return total;\n");
const MULTI = sseChunks(
  "\n    const next = this.items.map((x) => x * factor);\n    if (next.length === 0) {\n      return 0;\n    }\n    return next.reduce((a, b) => a + b, 0);\n  }\n\n  other() {}\n",
);

interface Workload {
  text: string;
  offsets: number[];
  openFiles: ReturnType<typeof otherOpenFiles>;
  exclusion: ExclusionMatcher;
  /** Cached definitions by name, as the glue's symbol cache holds them. */
  definitions: Map<string, SymbolSnippet>;
}

/** A cached definition for every name the generated file uses (methods, fields, locals). */
function cachedDefinitions(): Map<string, SymbolSnippet> {
  const definitions = new Map<string, SymbolSnippet>();
  const define = (name: string, text: string) =>
    definitions.set(name, { path: `src/defs/${name}.ts`, languageId: "typescript", name, text });
  for (let m = 0; m < 30; m++)
    define(`method${m}`, `method${m}(input: number, factor = ${m + 1}): number {\n  let total = 0;\n  return total;\n}`);
  define("items", "private readonly items: number[] = [];");
  define("total", "let total = 0;");
  define("factor", "factor: number");
  define("input", "input: number");
  return definitions;
}

function workload(lines: number, samples: number): Workload {
  const text = generateTypeScriptFile(lines, ["helper0", "helper1", "helper2"]);
  const random = seededRandom(42);
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1 && i < text.length - 1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const offsets: number[] = [];
  for (let i = 0; i < samples; i++) {
    const line = Math.floor(random() * lineStarts.length);
    const start = lineStarts[line];
    const end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    offsets.push(start + Math.floor(random() * (end - start + 1)));
  }
  const exclusion = createExclusionMatcher({
    gitignores: [{ dir: "", text: "node_modules/\ndist/\n*.log\n" }],
    filesExclude: { "**/.git": true },
  });
  return { text, offsets, openFiles: otherOpenFiles(), exclusion, definitions: cachedDefinitions() };
}

/** One completion's client-side work; returns milliseconds and the plan's facts. */
function measureOne(
  w: Workload,
  cache: CompletionCache,
  offset: number,
): { ms: number; promptChars: number; single: boolean; symbols: number } {
  const { text } = w;
  const t0 = performance.now();
  if (w.exclusion.isExcluded("src/service.ts")) throw new Error("current file must not be excluded");
  const key = { model: "qwen2.5-coder-7b", prefix: text.slice(0, offset), suffix: text.slice(offset) };
  cache.get(key);
  const symbols = identifiersNearCursor(text, offset, 6)
    .map((n) => w.definitions.get(n.name))
    .filter((d): d is SymbolSnippet => d !== undefined);
  const plan = planCompletion({
    document: { path: "src/service.ts", languageId: "typescript", text, offset },
    family: "qwen",
    maxModelLen: 32_768,
    maxTokens: 128,
    openFiles: w.openFiles,
    symbols,
    stopTokenIds: [151659, 151660, 151661, 151643],
    isExcluded: (p) => w.exclusion.isExcluded(p),
  });
  const parser = new SseParser();
  const acc = createAccumulator(plan);
  let done = false;
  for (const chunk of plan.mode === "single-line" ? SINGLE : MULTI) {
    for (const event of parser.push(chunk)) {
      if (event.type === "done" || acc.push(completionChunk(event.value).text)) done = true;
    }
    if (done) break;
  }
  const suggestion = finishCompletion(plan, acc.finish(), { insertSpaces: true, tabSize: 2 });
  if (suggestion) cache.set(key, suggestion);
  return { ms: performance.now() - t0, promptChars: plan.prompt.length, single: plan.mode === "single-line", symbols: symbols.length };
}

function summarize(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}

export function runCompletionLatency(samples = 2_000, runs = 3, warmup = 300): LatencyResult {
  const lines = 5_000;
  const w = workload(lines, samples);
  const warm = new CompletionCache();
  for (let i = 0; i < warmup; i++) measureOne(w, warm, w.offsets[i % samples]);

  const best = new Array<number>(samples).fill(Number.POSITIVE_INFINITY);
  const raw: number[] = [];
  let promptChars = 0;
  let single = 0;
  let symbols = 0;
  for (let run = 0; run < runs; run++) {
    const cache = new CompletionCache(); // same cache history in every run
    for (let i = 0; i < samples; i++) {
      const m = measureOne(w, cache, w.offsets[i]);
      raw.push(m.ms);
      best[i] = Math.min(best[i], m.ms);
      if (run === 0) {
        promptChars += m.promptChars;
        symbols += m.symbols;
        if (m.single) single++;
      }
    }
  }
  return {
    lines,
    samples,
    runs,
    best: summarize(best),
    raw: summarize(raw),
    meanPromptChars: Math.round(promptChars / samples),
    singleLineShare: single / samples,
    meanSymbols: symbols / samples,
  };
}
