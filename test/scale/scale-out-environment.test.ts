/**
 * environments/scale-out.yaml is the shipped example of the whole scale-out path: a completion
 * model autoscaled by KEDA behind the cache-aware router, speculating with n-gram lookup and
 * serving a LoRA adapter. Asserted on the Terraform JSON that synth writes for it, offline.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stackName } from "../../core/names";
import { synthesize } from "../../stacks/synthesize";
import type { TerraformJson } from "../helpers/synth";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-scale-out-"));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const result = synthesize(["scale-out"], outdir);
const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackName("scale-out"), "cdk.tf.json"), "utf8")) as TerraformJson;

type Deployment = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { template: { spec: { container: { name: string; args?: string[] }[] } } };
};
const deployments = Object.values(tf.resource.kubernetes_deployment_v1 ?? {}) as unknown as Deployment[];
const manifests = Object.values(tf.resource.kubernetes_manifest ?? {}).map((m) => (m as { manifest: Record<string, unknown> }).manifest);

it("synthesizes without a problem", () => {
  expect(result.failed).toEqual([]);
});

it("puts the model behind the cache-aware router", () => {
  const router = deployments.find((d) => d.metadata.labels["app.kubernetes.io/name"] === "vllm-router")!;
  const args = router.spec.template.spec.container.find((c) => c.name === "router")!.args!;
  expect(args).toContain("--policy=cache_aware");
});

it("lets KEDA scale the model's Deployment between 2 and 4 replicas on the queue vLLM reports", () => {
  const scaled = manifests.filter((m) => m.kind === "ScaledObject") as { spec: Record<string, unknown> }[];
  expect(scaled).toHaveLength(1);
  expect(scaled[0].spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 4 });
  expect(JSON.stringify(scaled[0].spec)).toContain("vllm:num_requests_waiting");
});

it("starts vLLM with n-gram speculation and the LoRA adapter", () => {
  const vllm = deployments.flatMap((d) => d.spec.template.spec.container).find((c) => c.name === "vllm")!;
  expect(vllm.args).toContain(
    '--speculative-config={"method":"ngram","num_speculative_tokens":4,"prompt_lookup_max":4,"prompt_lookup_min":2}',
  );
  expect(vllm.args).toEqual(expect.arrayContaining(["--enable-lora", "--max-lora-rank=16"]));
  const at = vllm.args!.indexOf("--lora-modules");
  expect(vllm.args!.slice(at, at + 2)).toEqual(["--lora-modules", "qwen2.5-coder-7b-team=example-corp/qwen2.5-coder-7b-team-lora"]);
});

it("outputs the adapter as an endpoint of its own, on the model's base URL", () => {
  const model = tf.output?.endpoint_qwen2_5_coder_7b.value as Record<string, unknown>;
  const adapter = tf.output?.endpoint_qwen2_5_coder_7b_team.value as Record<string, unknown>;
  expect(adapter).toMatchObject({ served_model_name: "qwen2.5-coder-7b-team", base_url: model.base_url, role: "completion" });
});
