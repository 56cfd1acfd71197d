/** Base URLs only a cluster's own DNS resolves (ClusterIP Services): a laptop needs a port-forward. */
export function isInClusterUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host.endsWith(".svc.cluster.local") || host.endsWith(".svc");
}
