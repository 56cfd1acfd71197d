/** Deterministic inputs for the benchmarks: a seeded RNG and generated TypeScript sources. */
import type { FileSnapshot } from "../src/core";

/** Seeded linear congruential generator in [0, 1): the same run every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** One class of about `lines` lines with methods, loops and comments. */
function generateClass(name: string, lines: number): string[] {
  const out = [`export class ${name} {`, "  private readonly items: number[] = [];", ""];
  let m = 0;
  while (out.length < lines - 1) {
    out.push(
      `  /** Method ${m} of ${name}. */`,
      `  method${m}(input: number, factor = ${m + 1}): number {`,
      "    let total = 0;",
      `    for (const item of this.items) {`,
      `      if (item % ${m + 2} === 0) total += item * factor;`,
      "      else total -= input;",
      "    }",
      `    return total + ${m};`,
      "  }",
      "",
    );
    m++;
  }
  out.length = lines - 1;
  out.push("}");
  return out;
}

/** A TypeScript file of exactly `lines` lines that imports the given local modules. */
export function generateTypeScriptFile(lines: number, imports: readonly string[]): string {
  const out = imports.map((m, i) => `import { helper${i} } from "./${m}";`);
  out.push("");
  let c = 0;
  while (out.length < lines) out.push(...generateClass(`Service${c++}`, Math.min(200, lines - out.length)));
  return out.slice(0, lines).join("\n") + "\n";
}

/** Open editors besides the current one: imported helpers and an unrelated file. */
export function otherOpenFiles(): FileSnapshot[] {
  const helper = (i: number): FileSnapshot => ({
    path: `src/helper${i}.ts`,
    languageId: "typescript",
    text: generateClass(`Helper${i}`, 300)
      .join("\n")
      .replace(`export class Helper${i}`, `export function helper${i}() {}\nexport class Helper${i}`),
  });
  return [
    helper(0),
    helper(1),
    helper(2),
    { path: "README.md", languageId: "markdown", text: "# Demo\n\nSome text.\n".repeat(50) },
    { path: ".env", languageId: "dotenv", text: "API_KEY=secret\n" },
  ];
}

/** A canned completion streamed as OpenAI `/v1/completions` SSE in small network chunks. */
export function sseChunks(completion: string, tokenChars = 4, chunkBytes = 120): string[] {
  let stream = "";
  for (let i = 0; i < completion.length; i += tokenChars) {
    stream += `data: ${JSON.stringify({ id: "cmpl-1", object: "text_completion", created: 0, model: "m", choices: [{ index: 0, text: completion.slice(i, i + tokenChars), logprobs: null, finish_reason: null }] })}\n\n`;
  }
  stream += "data: [DONE]\n\n";
  const chunks: string[] = [];
  for (let i = 0; i < stream.length; i += chunkBytes) chunks.push(stream.slice(i, i + chunkBytes));
  return chunks;
}
