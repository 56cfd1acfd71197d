/** Issue 11 item 6: on EKS the monitoring charts do not scrape the control plane EKS keeps out of reach. */
import YAML from "yaml";
import { CONTROL_PLANE_COMPONENTS, UNSCRAPED_COMPONENTS_BY_TARGET } from "../../monitoring/helm-values";
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack } from "../helpers/synth";
import { AWS_ENVIRONMENT } from "./fixtures";
import { resources, synthesizeAwsYaml, type StackJson } from "./synth-aws";

function kubePrometheusStackValues(helmReleases: [string, Record<string, unknown>][]): Record<string, { enabled?: boolean }> {
  const [, release] = helmReleases.find(([, r]) => r.chart === "kube-prometheus-stack")!;
  return YAML.parse((release.values as string[])[0]) as Record<string, { enabled?: boolean }>;
}

describe("kube-prometheus-stack on aws", () => {
  let services: StackJson;
  beforeAll(() => {
    services = synthesizeAwsYaml({ m: AWS_ENVIRONMENT }).get("m")!.services;
  });

  it("turns off the controller manager, scheduler, etcd and kube-proxy exporters and their alerts", () => {
    const values = kubePrometheusStackValues(resources(services, "helm_release"));
    for (const component of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
      expect([component, values[component]]).toEqual([component, { enabled: false }]);
    }
  });

  it("is installed by the cluster-services stack, beside the charts every model needs", () => {
    expect(
      resources(services, "helm_release")
        .map(([, r]) => r.chart)
        .sort(),
    ).toEqual(["aws-load-balancer-controller", "dcgm-exporter", "kube-prometheus-stack", "nvidia-device-plugin"]);
  });
});

describe("kube-prometheus-stack on an existing cluster", () => {
  it("scrapes every control-plane component, which such clusters expose", () => {
    const { tf } = synthStack(environmentFrom(BASE_ENVIRONMENT));
    const releases = resourcesOfType(tf, "helm_release").map((r): [string, Record<string, unknown>] => ["", r]);
    const values = kubePrometheusStackValues(releases);
    for (const component of CONTROL_PLANE_COMPONENTS) expect(values[component]).toBeUndefined();
  });
});

describe("the per-target list", () => {
  it("names every target kind", () => {
    expect(Object.keys(UNSCRAPED_COMPONENTS_BY_TARGET).sort()).toEqual(["aws", "kubernetes"]);
  });
});
