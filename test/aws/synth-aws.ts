/** Synthesizes AWS environments the way `npm run synth` does and reads back their three stacks. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { clusterServicesStackName, clusterStackName } from "../../core/aws/names";
import type { Environment } from "../../core/load-environment";
import { stackName } from "../../core/names";
import { synthesize } from "../../stacks/synthesize";

export type Block = Record<string, unknown>;

export interface StackJson {
  /** The file as written, for cdktf's matchers. */
  text: string;
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  output: Record<string, { value: unknown; sensitive?: boolean }>;
  provider: Record<string, Block[]>;
  /** Local values (the cluster stack names its CA certificate as one). */
  locals: Record<string, unknown>;
}

export interface SynthesizedAws {
  environment: Environment;
  cluster: StackJson;
  /** Cluster services: StorageClass, device plugin, load balancer controller, monitoring charts. */
  services: StackJson;
  serving: StackJson;
  /** cdktf's manifest: stack dependencies decide the deploy order. */
  dependencies: Record<string, string[]>;
}

function readStack(outdir: string, name: string): StackJson {
  const text = fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8");
  const json = JSON.parse(text) as Partial<StackJson>;
  return {
    text,
    resource: json.resource ?? {},
    data: json.data ?? {},
    output: json.output ?? {},
    provider: json.provider ?? {},
    locals: json.locals ?? {},
  };
}

/**
 * Synthesizes environments given as YAML texts, each written to a scratch folder of its own:
 * variants of one environment would otherwise be refused as clashing on shared names
 * (core/validation/shared-cluster.ts).
 */
export function synthesizeAwsYaml(files: Record<string, string>): Map<string, SynthesizedAws> {
  const synthesized = new Map<string, SynthesizedAws>();
  for (const [name, yaml] of Object.entries(files)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-aws-environments-"));
    try {
      fs.writeFileSync(path.join(dir, `${name}.yaml`), yaml);
      for (const [key, value] of synthesizeAws(dir, [name])) synthesized.set(key, value);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return synthesized;
}

/** Synthesizes the named environments of `dir`. */
export function synthesizeAws(dir: string, names: string[]): Map<string, SynthesizedAws> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-aws-out-"));
  try {
    const result = synthesize(names, outdir, dir);
    if (result.failed.length > 0) throw new Error(JSON.stringify(result.failed, null, 2));
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    const dependencies = Object.fromEntries(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.dependencies]));
    return new Map(
      result.synthesized.map((environment) => [
        environment.name,
        {
          environment,
          cluster: readStack(outdir, clusterStackName(environment.name)),
          services: readStack(outdir, clusterServicesStackName(environment.name)),
          serving: readStack(outdir, stackName(environment.name)),
          dependencies,
        },
      ]),
    );
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export function resources(stack: StackJson, type: string): [string, Block][] {
  return Object.entries(stack.resource[type] ?? {});
}

export function only(stack: StackJson, type: string): Block {
  const all = resources(stack, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0][1];
}

/** The resource a `${type.name.attr}` reference points to. */
export function referenced(stack: StackJson, reference: unknown): [string, Block] {
  const match = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[^}]+\}$/.exec(String(reference));
  if (!match) throw new Error(`not a resource reference: ${String(reference)}`);
  const block = stack.resource[match[1]]?.[match[2]];
  if (!block) throw new Error(`no resource ${match[1]}.${match[2]}`);
  return [`${match[1]}.${match[2]}`, block];
}
