/**
 * A reader for the Prometheus text exposition format (version 0.0.4) as vLLM serves it on
 * `/metrics`: sample lines `name{label="value",…} number`, comments skipped. Enough for doctor to
 * read one info gauge; malformed lines are skipped, never thrown.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSamples(text: string, only?: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (only !== undefined && !line.startsWith(only)) continue;
    const match = LINE.exec(line);
    if (!match || (only !== undefined && match[1] !== only)) continue;
    const value = Number(match[3].replace(/^([+-]?)Inf$/, "$1Infinity"));
    if (Number.isNaN(value) && match[3] !== "NaN") continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? "").matchAll(LABEL))
      labels[key] = raw.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}
