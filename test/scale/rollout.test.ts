/** Model changes roll out without downtime where the pool has room for one more replica, and say so where not. */
import { BASE_ENVIRONMENT, environmentFrom, synthStack } from "../helpers/synth";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const strategy = (yaml: string): Json => {
  const { tf } = synthStack(environmentFrom(yaml));
  return (tf.resource.kubernetes_deployment_v1 as Record<string, Json>)[
    Object.keys(tf.resource.kubernetes_deployment_v1).find((id) => !id.includes("router"))!
  ].spec.strategy as Json;
};
const withReplicas = (replicas: number, nodes = 2) =>
  BASE_ENVIRONMENT.replace("    nodes: 2\n", `    nodes: ${nodes}\n`).replace(
    "    maxModelLen: 16384\n",
    `    maxModelLen: 16384\n    replicas: ${replicas}\n`,
  );

describe("a model change", () => {
  it("surges one new replica before an old one stops where a node has a GPU free", () => {
    // One node of 4 GPUs (its ReadWriteOnce cache reaches every pod), 3 replicas of 1 GPU.
    expect(strategy(withReplicas(3, 1))).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "1", max_unavailable: "0" } });
  });

  it("replaces one replica at a time when every GPU is taken", () => {
    expect(strategy(withReplicas(4, 1))).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "0", max_unavailable: "1" } });
  });

  it("recreates a single replica that has no room beside it, and synth says for how long the endpoint is down", () => {
    const yaml = BASE_ENVIRONMENT.replace("    gpusPerNode: 4\n", "    gpusPerNode: 1\n").replace("    nodes: 2\n", "    nodes: 1\n");
    expect(strategy(yaml)).toEqual({ type: "Recreate" });
    const { warnings } = environmentFrom(yaml);
    expect(warnings.join("\n")).toMatch(/models\[0\] \(qwen-coder\): a change .* recreates its only replica.*down .*up to \d+ min/);
  });

  it("says nothing about downtime where a surge fits", () => {
    expect(environmentFrom(withReplicas(1, 1)).warnings.join("\n")).not.toMatch(/recreates/);
  });

  it("recreates a single replica whose ReadWriteOnce cache cannot follow a pod to another node", () => {
    expect(strategy(withReplicas(1, 2))).toEqual({ type: "Recreate" });
    expect(environmentFrom(withReplicas(1, 2)).warnings.join("\n")).toMatch(/ReadWriteOnce cache attaches to one node/);
  });
});
