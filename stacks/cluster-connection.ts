import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { Construct } from "constructs";
import { connectToEks } from "../constructs/aws/eks-providers";
import type { AwsEnvironment, KubernetesEnvironment } from "../core/load-environment";
import type { AwsClusterReference } from "./aws-cluster-stack";

/** An environment with what reaches its cluster: its kubeconfig context, or (aws) the cluster stack's reference. */
export type ConnectedEnvironment = KubernetesEnvironment | (AwsEnvironment & { readonly awsCluster: AwsClusterReference });

/**
 * Configures the providers that talk to the environment's cluster: a kubeconfig context for
 * an existing cluster; for aws, the cluster stack's endpoint and CA (cross-stack references,
 * so `cdktf deploy` orders the stacks) with tokens from `aws eks get-token`.
 */
export function connectToCluster(scope: Construct, environment: ConnectedEnvironment): void {
  new RandomProvider(scope, "random");
  if (environment.kind === "kubernetes") {
    const { kubeconfig, context } = environment.config.target;
    new KubernetesProvider(scope, "kubernetes", { configPath: kubeconfig, configContext: context });
    new HelmProvider(scope, "helm", {
      kubernetes: { configPath: kubeconfig, configContext: context },
    });
    return;
  }
  const { awsCluster } = environment;
  // Writes the models' DNS records; the cluster itself comes from the cluster stack.
  new AwsProvider(scope, "aws", { region: environment.config.target.region, defaultTags: [{ tags: awsCluster.defaultTags }] });
  connectToEks(scope, awsCluster);
}
