/** A valid AWS environment that tests vary, and helpers to load it or collect its issues. */
import { parse, stringify } from "yaml";
import type { ConfigIssue } from "../../core/errors";
import { parseEnvironment, type Environment } from "../../core/load-environment";
import { issuesOf } from "../helpers/environment-issues";

export { issuesOf };

export const AWS_ENVIRONMENT = `
target:
  kind: aws
  region: us-east-1
  eksVersion: "1.36"
  apiAllowedCidrs: [203.0.113.0/24]
  loadBalancer:
    allowedCidrs: [10.0.0.0/8]
    domain: ai.example.com
    route53ZoneId: Z0123456789TEST
image: { tag: v0.29.0 }
gpuPools:
  - name: l4
    instanceType: g6.2xlarge
    nodes: 1
models:
  - servedName: coder
    model: qwen2.5-coder-7b-instruct
    role: both
    pool: l4
    maxModelLen: 16384
`;

// The shape of AWS_ENVIRONMENT, loosely: tests change it field by field.
export type Document = {
  target: Record<string, unknown> & { loadBalancer: Record<string, unknown> };
  gpuPools: Record<string, unknown>[];
  models: Record<string, unknown>[];
} & Record<string, unknown>;

/** AWS_ENVIRONMENT with `change` applied, as YAML. */
export function awsYaml(change: (doc: Document) => void = () => undefined): string {
  const doc = parse(AWS_ENVIRONMENT) as Document;
  change(doc);
  return stringify(doc);
}

export function awsEnvironment(change?: (doc: Document) => void, name = "test"): Environment {
  return parseEnvironment(name, `environments/${name}.yaml`, awsYaml(change));
}

/** The one issue about `field`, failing the test if there is none. */
export function issueAt(yaml: string, field: string): ConfigIssue {
  const issues = issuesOf(yaml);
  const found = issues.find((issue) => issue.field === field);
  if (!found) throw new Error(`no issue at ${field}; issues: ${JSON.stringify(issues, null, 2)}`);
  return found;
}
