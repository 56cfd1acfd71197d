/**
 * Issue 11 item 3: no stack configures a provider from a resource it creates itself (the
 * kubernetes provider's docs warn that a provider configured from a cluster built in the same
 * run fails intermittently). Providers may read other stacks' outputs (remote state) only.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ENVIRONMENTS_DIR, listEnvironments } from "../../core/load-environment";
import { synthesize } from "../../stacks/synthesize";
import { AWS_ENVIRONMENT, awsYaml } from "./fixtures";

interface Stack {
  name: string;
  json: { provider?: Record<string, unknown[]>; resource?: Record<string, unknown>; data?: Record<string, unknown> };
}

/** Every stack of the environments of `dir`, as `npm run synth` writes them. */
function synthesizedStacks(dir: string, names: string[]): Stack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-providers-"));
  try {
    const result = synthesize(names, outdir, dir);
    expect(result.failed).toEqual([]);
    return fs.readdirSync(path.join(outdir, "stacks")).map((name) => ({
      name,
      json: JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Stack["json"],
    }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every object a Terraform expression in `value` refers to: `aws_eks_cluster.x`, `data.terraform_remote_state.y`, `local.z`. */
function references(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/\$\{([^}]*)\}/g)].flatMap(([, expression]) =>
    [...expression.matchAll(/\b(data\.[a-z0-9_]+\.[\w-]+|local\.[\w-]+|var\.[\w-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[\w-]+)/g)].map(
      ([ref]) => ref,
    ),
  );
}

/** A reference to something the stack itself creates or reads, remote state excepted. */
function ownReferences(stack: Stack): string[] {
  return references(stack.json.provider ?? {}).filter((ref) => !ref.startsWith("data.terraform_remote_state."));
}

describe("providers", () => {
  const variants = {
    base: AWS_ENVIRONMENT,
    monitored: awsYaml((doc) => (doc.monitoring = { enabled: true })),
    "private-api": awsYaml((doc) => delete doc.target.apiAllowedCidrs),
  };

  it.each(Object.entries(variants))("of every stack of an aws environment (%s) read no resource of their own stack", (name, yaml) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-providers-env-"));
    try {
      fs.writeFileSync(path.join(dir, `${name}.yaml`), yaml);
      const stacks = synthesizedStacks(dir, [name]);
      expect(stacks.map((s) => s.name).sort()).toEqual([`aicockpit-${name}`, `aicockpit-${name}-cluster`, `aicockpit-${name}-services`]);
      for (const stack of stacks) expect([stack.name, ownReferences(stack)]).toEqual([stack.name, []]);
      // The stacks that talk to Kubernetes read the cluster from the cluster stack.
      for (const stack of stacks.filter((s) => s.json.provider?.kubernetes)) {
        expect(references(stack.json.provider!.kubernetes)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^data\.terraform_remote_state\.cross-stack-reference-input-aicockpit-[\w-]+-cluster$/),
          ]),
        );
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("of every stack of every environment in environments/ read no resource of their own stack", () => {
    for (const stack of synthesizedStacks(ENVIRONMENTS_DIR, listEnvironments())) {
      expect([stack.name, ownReferences(stack)]).toEqual([stack.name, []]);
    }
  });

  it("are checked by a test that sees a same-stack reference", () => {
    const stack: Stack = {
      name: "x",
      json: { provider: { kubernetes: [{ host: "${aws_eks_cluster.control-plane_cluster_1234.endpoint}" }] } },
    };
    expect(ownReferences(stack)).toEqual(["aws_eks_cluster.control-plane_cluster_1234"]);
  });
});
