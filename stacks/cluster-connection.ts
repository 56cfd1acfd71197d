import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import type { Construct } from "constructs";
import { connectToEks } from "../constructs/aws/eks-providers";
import type { AwsClusterReference } from "./aws-cluster-stack";
import type { Target } from "../core/schema/target";

/**
 * Configures the providers that talk to the environment's cluster: a kubeconfig context for
 * an existing cluster; for aws, the cluster stack's endpoint and CA (cross-stack references,
 * so `cdktf deploy` orders the stacks) with tokens from `aws eks get-token`.
 */
export function connectToCluster(scope: Construct, target: Target, awsCluster?: AwsClusterReference): void {
  new RandomProvider(scope, "random");
  if (target.kind === "kubernetes") {
    new KubernetesProvider(scope, "kubernetes", { configPath: target.kubeconfig, configContext: target.context });
    new HelmProvider(scope, "helm", {
      kubernetes: { configPath: target.kubeconfig, configContext: target.context },
    });
    return;
  }
  if (!awsCluster) throw new Error("an aws target is reached through its cluster stack; pass AwsClusterStack.reference");
  // Writes the models' DNS records; the cluster itself comes from the cluster stack.
  new AwsProvider(scope, "aws", { region: target.region, defaultTags: [{ tags: awsCluster.defaultTags }] });
  connectToEks(scope, awsCluster);
}
