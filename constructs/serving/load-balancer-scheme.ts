/**
 * The Service annotations that make a LoadBalancer internal (or, where the default is internal,
 * internet-facing) on the providers whose controllers read them. Any other controller (MetalLB,
 * k3s ServiceLB, …) ignores them: there `internal` is what the address pool makes it.
 */

/**
 * AWS Load Balancer Controller: `internal` (its default since v2.2.0) or `internet-facing`
 * (kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations and
 * …/guide/service/nlb, read 2026-11-26).
 */
export const AWS_LB_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";

/**
 * The in-tree AWS cloud provider's switch, deprecated by the controller in favour of the scheme
 * above but still what the legacy controller reads (same annotations page).
 */
export const AWS_LB_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

/**
 * GKE: an internal passthrough Network Load Balancer, "all supported versions"
 * (docs.cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters, read 2026-11-26).
 */
export const GKE_LB_TYPE = "networking.gke.io/load-balancer-type";

/** AKS: an internal Azure Load Balancer (learn.microsoft.com/azure/aks/internal-lb, read 2026-11-26). */
export const AZURE_LB_INTERNAL = "service.beta.kubernetes.io/azure-load-balancer-internal";

/** The annotations for an internal (true) or internet-facing (false) load balancer. */
export function loadBalancerSchemeAnnotations(internal: boolean): Record<string, string> {
  if (!internal) return { [AWS_LB_SCHEME]: "internet-facing" };
  return {
    [AWS_LB_SCHEME]: "internal",
    [AWS_LB_INTERNAL]: "true",
    [GKE_LB_TYPE]: "Internal",
    [AZURE_LB_INTERNAL]: "true",
  };
}
