/**
 * Serving options (issue 13 item 5) as synthesized: the vLLM container's arguments and the
 * endpoint outputs, read from the Terraform JSON.
 */
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack, type TerraformJson } from "../helpers/synth";

type Pod = { metadata: { name: string }[]; spec: { template: { spec: { container: { name: string; args?: string[] }[] } } }[] };

function vllmArgsOf(tf: TerraformJson, deploymentName: string): string[] {
  const deployments = resourcesOfType(tf, "kubernetes_deployment_v1") as unknown as Pod[];
  const found = deployments.find((d) => JSON.stringify(d.metadata).includes(deploymentName));
  if (!found) throw new Error(`no deployment ${deploymentName}`);
  const spec = Array.isArray(found.spec) ? found.spec[0] : found.spec;
  const template = Array.isArray(spec.template) ? spec.template[0] : spec.template;
  const podSpec = Array.isArray(template.spec) ? template.spec[0] : template.spec;
  return podSpec.container.find((c: { name: string }) => c.name === "vllm")!.args!;
}

const withChatModel = (extra: string) =>
  `${BASE_ENVIRONMENT}  - servedName: chat
    model: qwen2.5-coder-7b-instruct
    role: chat
    pool: gpu
    maxModelLen: 16384
${extra}`;

describe("tool calling", () => {
  const { tf } = synthStack(environmentFrom(withChatModel("    toolCalling: true\n")));

  it("starts vLLM with auto tool choice and the family's parser from the catalog", () => {
    const args = vllmArgsOf(tf, "aicockpit-chat");
    expect(args).toEqual(expect.arrayContaining(["--enable-auto-tool-choice", "--tool-call-parser=hermes"]));
    expect(vllmArgsOf(tf, "aicockpit-qwen-coder")).not.toContain("--enable-auto-tool-choice");
  });

  it("lists the capability in the endpoint outputs", () => {
    expect(tf.output?.endpoint_chat.value).toMatchObject({ served_model_name: "chat", tool_calling: true });
    expect(tf.output?.endpoint_qwen_coder.value).toMatchObject({ tool_calling: false });
  });
});

describe("speculative decoding", () => {
  const { tf } = synthStack(
    environmentFrom(`${BASE_ENVIRONMENT}    speculative: { method: ngram, numSpeculativeTokens: 4, promptLookupMax: 4 }
  - servedName: starcoder
    model: starcoder2-15b
    role: completion
    pool: gpu
    maxModelLen: 8192
    speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 }
`),
  );

  it("passes n-gram lookup to the vLLM container as one --speculative-config argument", () => {
    expect(vllmArgsOf(tf, "aicockpit-qwen-coder")).toContain(
      '--speculative-config={"method":"ngram","num_speculative_tokens":4,"prompt_lookup_max":4}',
    );
  });

  it("passes the draft model by its Hugging Face repo", () => {
    expect(vllmArgsOf(tf, "aicockpit-starcoder")).toContain(
      '--speculative-config={"method":"draft_model","model":"bigcode/starcoder2-3b","num_speculative_tokens":3}',
    );
  });
});

describe("a speculative draft's page cache", () => {
  const starcoder = (speculative: string) =>
    environmentFrom(`${BASE_ENVIRONMENT}  - servedName: starcoder
    model: starcoder2-15b
    role: completion
    pool: gpu
    maxModelLen: 8192
${speculative}`);
  type Resources = { resources: { limits: Record<string, string> }[] };
  const memoryLimitMiB = (tf: TerraformJson) => {
    const deployments = resourcesOfType(tf, "kubernetes_deployment_v1") as unknown as {
      metadata: unknown;
      spec: { template: { spec: { container: ({ name: string } & Resources)[] } } };
    }[];
    const found = deployments.find((d) => JSON.stringify(d.metadata).includes("aicockpit-starcoder"))!;
    const vllm = found.spec.template.spec.container.find((c) => c.name === "vllm")!;
    const limits = Array.isArray(vllm.resources)
      ? vllm.resources[0].limits
      : (vllm.resources as unknown as Resources["resources"][0]).limits;
    const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(limits.memory)!;
    return Number(amount) * (unit === "Gi" ? 1024 : 1);
  };

  it("raises the vLLM container's memory limit by the draft's weights", () => {
    const plain = memoryLimitMiB(synthStack(starcoder("")).tf);
    const drafted = memoryLimitMiB(
      synthStack(starcoder("    speculative: { method: draft, model: starcoder2-3b, numSpeculativeTokens: 3 }\n")).tf,
    );
    // starcoder2-3b: 3.03 B parameters in 16 bits, 5.64 GiB: six GiB of page cache more.
    expect(drafted - plain).toBe(6 * 1024);
  });
});

describe("LoRA adapters", () => {
  const { tf } = synthStack(
    environmentFrom(`${BASE_ENVIRONMENT}    lora:
      maxRank: 16
      adapters:
        - { name: house-style, source: my-org/house-style-lora, rank: 8 }
`),
  );

  it("enable LoRA on the vLLM container and name each adapter with its source", () => {
    const args = vllmArgsOf(tf, "aicockpit-qwen-coder");
    expect(args).toEqual(expect.arrayContaining(["--enable-lora", "--max-lora-rank=16", "--max-loras=1"]));
    const at = args.indexOf("--lora-modules");
    expect(args.slice(at, at + 2)).toEqual(["--lora-modules", "house-style=my-org/house-style-lora"]);
  });

  it("outputs each adapter as its own endpoint on the model's server", () => {
    const base = tf.output?.endpoint_qwen_coder.value as Record<string, unknown>;
    expect(tf.output?.endpoint_house_style.value).toEqual({ ...base, served_model_name: "house-style" });
  });
});
