/**
 * The Grafana dashboards of monitoring/dashboards/ (JSON, as Grafana exports them). The stack
 * ships each as a ConfigMap for the Grafana sidecar; the tests run every panel query.
 */
import path from "node:path";
import { readSourceFiles } from "./source-files";

export const DASHBOARDS_DIR = path.join(__dirname, "dashboards");

export interface DashboardTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
}

export interface DashboardPanel {
  id: number;
  title: string;
  type: string;
  targets?: DashboardTarget[];
  panels?: DashboardPanel[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  definition?: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

export interface DashboardFile {
  fileName: string;
  /** The file's text, shipped unchanged so Grafana shows exactly what was reviewed. */
  json: string;
  dashboard: Dashboard;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
}

export function loadDashboards(dir: string = DASHBOARDS_DIR): DashboardFile[] {
  return readSourceFiles(dir, ".json").map(({ fileName, text }) => ({
    fileName,
    json: text,
    dashboard: JSON.parse(text) as Dashboard,
  }));
}

/** Every PromQL expression of every panel, rows' nested panels included. */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  const walk = (panels: DashboardPanel[]): PanelQuery[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? []).map((t) => ({ dashboard: dashboard.uid, panel: panel.title, refId: t.refId, expr: t.expr })),
      ...walk(panel.panels ?? []),
    ]);
  return walk(dashboard.panels);
}

/** Query-variable definitions, e.g. `label_values(vllm:num_requests_running, namespace)`. */
export function variableQueries(dashboard: Dashboard): { name: string; definition: string }[] {
  return dashboard.templating.list
    .filter((v) => v.type === "query" && v.definition)
    .map((v) => ({ name: v.name, definition: v.definition as string }));
}

/**
 * Replaces Grafana's variables the way Grafana would before sending a query: `$name`,
 * `${name}` and the built-ins `$__rate_interval`, `$__interval`, `$__range`.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = values[name];
    if (value === undefined) throw new Error(`no value for Grafana variable ${match} in: ${expr}`);
    return value;
  });
}
