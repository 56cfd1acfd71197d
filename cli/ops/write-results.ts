/** Writes results.json and the self-contained report.html (Chart.js inlined from node_modules). */
import fs from "node:fs";
import path from "node:path";
import type { LoadTestResults } from "../../core/ops/load-results";
import { renderReport } from "../../core/ops/report-html";
import { CommandError } from "./command";

/** Chart.js's UMD build: one file that defines the global `Chart`. */
function chartLibrary(): string {
  return fs.readFileSync(path.join(path.dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
}

export function writeResults(dir: string, results: LoadTestResults): { json: string; html: string } {
  const json = path.join(dir, "results.json");
  const html = path.join(dir, "report.html");
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(html, renderReport(results, chartLibrary()));
  } catch (error) {
    throw new CommandError(`cannot write the results to ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return { json, html };
}
