/** Replicas on a shared (ReadWriteMany) cache are spread over zones and nodes; on a ReadWriteOnce one they are not. */
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack } from "../helpers/synth";

interface Deployment {
  metadata: { name: string };
  spec: {
    selector: { match_labels: Record<string, string> };
    template: { spec: { topology_spread_constraint?: Record<string, unknown>[] } };
  };
}

const withCache = (accessMode: string, replicas: number) =>
  BASE_ENVIRONMENT.replace("    role: completion\n", `    role: completion\n    replicas: ${replicas}\n`) +
  `modelCache: { accessMode: ${accessMode}${accessMode === "ReadWriteMany" ? ", storageClass: nfs" : ""} }\n`;

const constraintsOf = (yaml: string) => {
  const [deployment] = resourcesOfType(synthStack(environmentFrom(yaml)).tf, "kubernetes_deployment_v1").filter((d) =>
    (d as unknown as Deployment).metadata.name.endsWith("qwen-coder"),
  ) as unknown as Deployment[];
  return { deployment, constraints: deployment.spec.template.spec.topology_spread_constraint };
};

it("spreads a shared cache's replicas one per zone, then one per node, softly, over the model's own pods", () => {
  const { deployment, constraints } = constraintsOf(withCache("ReadWriteMany", 2));
  expect(constraints).toEqual(
    ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topology_key) => ({
      max_skew: 1,
      topology_key,
      when_unsatisfiable: "ScheduleAnyway",
      label_selector: [{ match_labels: deployment.spec.selector.match_labels }],
    })),
  );
});

it("adds nothing where replicas must share a node (ReadWriteOnce) or there is one replica", () => {
  expect(constraintsOf(withCache("ReadWriteOnce", 2)).constraints).toBeUndefined();
  expect(constraintsOf(withCache("ReadWriteMany", 1)).constraints).toBeUndefined();
});
