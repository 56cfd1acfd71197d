/**
 * With a fixed NodePort, each further model's Service takes the next port: the base URL in the
 * outputs and in the synth summary must name each model's own port, not the first model's.
 */
import { formatEnvironmentSummary } from "../../core/summary";
import { environmentFrom, synthStack } from "../helpers/synth";

const TWO_MODELS_ON_NODE_PORTS = `
target: { kind: kubernetes, kubeconfig: /etc/kube/lab.yaml, context: lab }
namespace: coders
image: { tag: v0.11.0 }
gpuPools:
  - { name: gpu, gpu: L40S, gpusPerNode: 4, nodes: 2 }
models:
  - { servedName: qwen-coder, model: qwen2.5-coder-7b-instruct, role: completion, pool: gpu, maxModelLen: 16384 }
  - { servedName: llama-chat, model: llama-3.1-8b-instruct, role: chat, pool: gpu, maxModelLen: 8192 }
exposure: { type: NodePort, nodePort: 30080, host: gpu-node.lab.example, allowedCidrs: [10.0.0.0/8] }
`;

describe("fixed node ports, one per model", () => {
  const environment = environmentFrom(TWO_MODELS_ON_NODE_PORTS, "lab");

  test("each endpoint output names its own Service's node port", () => {
    const { tf } = synthStack(environment);
    const services = Object.values(tf.resource.kubernetes_service_v1) as {
      metadata: { name: string };
      spec: { port: { node_port: number }[] };
    }[];
    const portOf = (name: string) => services.find((s) => s.metadata.name === name)?.spec.port[0].node_port;
    expect([portOf("aicockpit-qwen-coder"), portOf("aicockpit-llama-chat")]).toEqual([30080, 30081]);
    const baseUrl = (id: string) => (tf.output?.[id].value as { base_url: string }).base_url;
    expect([baseUrl("endpoint_qwen_coder"), baseUrl("endpoint_llama_chat")]).toEqual([
      "http://gpu-node.lab.example:30080/v1",
      "http://gpu-node.lab.example:30081/v1",
    ]);
  });

  test("the synth summary shows each model's own port", () => {
    const summary = formatEnvironmentSummary(environment);
    expect(summary).toContain("http://gpu-node.lab.example:30080/v1");
    expect(summary).toContain("http://gpu-node.lab.example:30081/v1");
  });
});
