/**
 * Every string of the file, keys included, checked for what would be read as code further down:
 * the file is untrusted input, and its strings reach Terraform JSON, Helm values, Prometheus rules
 * and a terminal. One walk over the parsed YAML, before the schema, so no field can be forgotten.
 *
 * - `${` and `%{` start a Terraform template interpolation or directive in any string of a
 *   `.tf.json` file ("JSON Configuration Syntax", developer.hashicorp.com/terraform/language/syntax/json,
 *   read 2026-11-26): `kubeconfig: "${file(\"/etc/passwd\")}"` would be evaluated at plan time.
 *   No field needs either sequence, so they are refused rather than escaped.
 * - `{{` in the monitoring section reaches Helm values the charts run through `tpl` (the Grafana
 *   chart's ingress annotations and hosts, grafana/helm-charts charts/grafana/templates/ingress.yaml,
 *   read 2026-11-26) and Prometheus alert annotations, which are Go templates.
 * - Control characters and bidirectional overrides change what a terminal or a reviewer shows
 *   (the summary prints strings; a pull request shows the file). Tabs and line breaks are allowed
 *   only in annotation values, which hold multi-line controller settings.
 */
import { EnvironmentError, fieldPath, type ConfigIssue } from "../errors";

/** Deeper than any field of the schema (its deepest is 5 levels); deeper data is refused unread. */
export const MAX_NESTING = 16;

const TERRAFORM_TEMPLATE = /[$%]\{/;
const HELM_TEMPLATE = /\{\{/;
/** C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings, overrides and isolates. */
function hiddenCharacter(text: string): string | undefined {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const control = (code < 0x20 && code !== 0x09 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (control || bidi) return char;
  }
  return undefined;
}
const LINE_BREAK = /[\t\n]/;

export function checkUntrustedText(file: string, data: unknown): void {
  const issues: ConfigIssue[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (path.length > MAX_NESTING) {
      issues.push({
        file,
        field: fieldPath(path),
        message: `nested more than ${MAX_NESTING} levels deep`,
        fix: "remove the nesting; no field is that deep",
      });
      return;
    }
    if (typeof value === "string") {
      const problem = textProblem(value, path);
      if (problem) issues.push({ file, field: fieldPath(path), ...problem });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key, [...path, key], "key");
        if (problem) issues.push({ file, field: fieldPath([...path, key]), ...problem });
        visit(child, [...path, key]);
      }
    }
  };
  visit(data, []);
  if (issues.length > 0) throw new EnvironmentError(issues);
}

function textProblem(
  text: string,
  path: (string | number)[],
  what: "key" | "value" = "value",
): Pick<ConfigIssue, "message" | "fix"> | undefined {
  const interpolation = TERRAFORM_TEMPLATE.exec(text);
  if (interpolation) {
    return {
      message: `the ${what} contains "${interpolation[0]}", which Terraform would evaluate as a template when it plans`,
      fix: `remove "${interpolation[0]}" (no field takes a Terraform expression)`,
    };
  }
  if (path[0] === "monitoring" && HELM_TEMPLATE.test(text)) {
    return {
      message: `the ${what} contains "{{", which Helm or Prometheus would evaluate as a template`,
      fix: 'remove "{{" (no monitoring field takes a template)',
    };
  }
  const hidden = hiddenCharacter(text);
  if (hidden) {
    return {
      message: `the ${what} contains the invisible character U+${hidden.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`,
      fix: "remove it (control and text-direction characters change what a terminal or a reviewer sees)",
    };
  }
  const inAnnotationValue = what === "value" && path.includes("annotations");
  if (!inAnnotationValue && LINE_BREAK.test(text)) {
    return { message: `the ${what} contains a tab or a line break`, fix: "write it on one line" };
  }
  return undefined;
}
