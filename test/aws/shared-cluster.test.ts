/** Issue 11 item 8: several environments on one cluster share what a cluster has once, owned by one of them. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { synthesize, type SynthResult } from "../../stacks/synthesize";
import { BASE_ENVIRONMENT } from "../helpers/synth";
import { awsYaml } from "./fixtures";

/** Synthesizes `selected` from a folder holding all `files`. */
function synth(files: Record<string, string>, selected = Object.keys(files)): SynthResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-shared-"));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-shared-out-"));
  try {
    for (const [name, yaml] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.yaml`), yaml);
    return synthesize(selected, outdir, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const variant = (change: (doc: Record<string, unknown>) => void) => {
  const doc = parse(BASE_ENVIRONMENT) as Record<string, unknown>;
  change(doc);
  return stringify(doc);
};

describe("two environments on one existing cluster (same kubeconfig and context)", () => {
  it("are refused when they would install the monitoring stack twice, naming the environment that owns it", () => {
    const result = synth({ alpha: BASE_ENVIRONMENT, beta: variant((doc) => (doc.namespace = "beta")) });
    expect(result.synthesized.map((e) => e.name)).toEqual(["alpha"]);
    expect(result.failed).toEqual([
      {
        name: "beta",
        issues: [
          {
            file: expect.stringMatching(/beta\.yaml$/),
            field: "monitoring.enabled",
            message:
              'environment alpha owns the monitoring stack of the cluster of context "lab" in /etc/kube/lab.yaml, which a cluster has once: ' +
              "kube-prometheus-stack's CRDs and operator are cluster-wide and its node-exporter takes host port 9100 on every node",
            fix: "set monitoring.enabled: false here (alpha's Prometheus watches namespace coders only), or move this environment to another cluster",
          },
        ],
      },
    ]);
  });

  it("are refused when they would deploy to the same namespace", () => {
    const result = synth({ alpha: BASE_ENVIRONMENT, beta: variant((doc) => (doc.monitoring = { enabled: false })) });
    expect(result.failed.map((f) => [f.name, f.issues.map((i) => i.field)])).toEqual([["beta", ["namespace"]]]);
    expect(result.failed[0].issues[0].message).toMatch(/^environment alpha already deploys its models to namespace coders of the cluster/);
  });

  it("synthesize when only one runs monitoring and each has its own namespace", () => {
    const result = synth({
      alpha: BASE_ENVIRONMENT,
      beta: variant((doc) => Object.assign(doc, { namespace: "beta", monitoring: { enabled: false } })),
    });
    expect(result.failed).toEqual([]);
    expect(result.synthesized.map((e) => e.name)).toEqual(["alpha", "beta"]);
  });

  it("are judged against every file of the folder, not only the selected one", () => {
    const result = synth({ alpha: BASE_ENVIRONMENT, beta: variant((doc) => (doc.namespace = "beta")) }, ["beta"]);
    expect(result.failed.map((f) => f.name)).toEqual(["beta"]);
  });

  it("do not clash on different contexts", () => {
    const result = synth({
      alpha: BASE_ENVIRONMENT,
      beta: variant((doc) => ((doc.target as Record<string, unknown>).context = "other")),
    });
    expect(result.failed).toEqual([]);
  });
});

describe("two aws environments", () => {
  it("build a cluster each, but may not serve a model under the same DNS name", () => {
    const result = synth({
      alpha: awsYaml(),
      beta: awsYaml((doc) => (doc.target.vpcCidr = "10.1.0.0/16")),
      gamma: awsYaml((doc) => (doc.target.loadBalancer.domain = "gamma.example.com")),
    });
    expect(result.synthesized.map((e) => e.name)).toEqual(["alpha", "gamma"]);
    expect(result.failed).toEqual([
      {
        name: "beta",
        issues: [
          {
            file: expect.stringMatching(/beta\.yaml$/),
            field: "models[0].servedName",
            message: "environment alpha already serves a model at aicockpit-coder.ai.example.com: both would write its DNS record",
            fix: "serve it under another name, or give the environments different loadBalancer.domain values",
          },
        ],
      },
    ]);
  });
});
