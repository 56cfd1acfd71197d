import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { Construct } from "constructs";
import type { Target } from "./core/schema/target";

/** Configures the providers that talk to the environment's cluster. */
export function connectToCluster(scope: Construct, target: Target): void {
  new RandomProvider(scope, "random");
  if (target.kind === "kubernetes") {
    new KubernetesProvider(scope, "kubernetes", { configPath: target.kubeconfig, configContext: target.context });
    new HelmProvider(scope, "helm", {
      kubernetes: { configPath: target.kubeconfig, configContext: target.context },
    });
    return;
  }
  throw new Error(`target kind "${target.kind}" is not supported yet`);
}
