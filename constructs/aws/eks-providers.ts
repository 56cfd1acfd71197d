import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import type { Construct } from "constructs";

/** What a stack needs to talk to an EKS cluster's API. */
export interface EksAccess {
  /** Name of the EKS cluster, which `aws eks get-token` signs tokens for. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** URL of the cluster's API server. */
  readonly endpoint: string;
  /** The cluster's CA certificate, base64 PEM as EKS reports it. */
  readonly certificateAuthority: string;
}

/**
 * Short-lived tokens from `aws eks get-token`, fetched by the providers on every run with the
 * deployer's AWS credentials: no kubeconfig to edit, and no token is stored in Terraform state.
 */
function eksTokenCommand(access: EksAccess) {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", access.clusterName, "--region", access.region, "--output", "json"],
  };
}

/** Kubernetes and Helm providers for an EKS cluster. */
export function connectToEks(scope: Construct, access: EksAccess): void {
  const connection = {
    host: access.endpoint,
    clusterCaCertificate: Fn.base64decode(access.certificateAuthority),
  };
  new KubernetesProvider(scope, "kubernetes", { ...connection, exec: [eksTokenCommand(access)] });
  new HelmProvider(scope, "helm", { kubernetes: { ...connection, exec: eksTokenCommand(access) } });
}
