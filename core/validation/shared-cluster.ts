/**
 * Several environments on one cluster. What one environment creates is named after its
 * namespace (the serving objects) or its own name (everything on aws, whose cluster is the
 * environment's own), except what a cluster has only once. Those parts are shared on purpose,
 * owned by one environment, and a second environment that would install them again is refused
 * naming the owner:
 * - an existing cluster's monitoring stack: kube-prometheus-stack brings cluster-wide CRDs, an
 *   operator that watches every namespace, and node-exporter on host port 9100 of every node
 *   (prometheus-node-exporter 4.56.1 `values.yaml`: `hostNetwork: true`, port 9100), which a
 *   second copy cannot bind; the owner is the first such environment by name;
 * - a serving namespace: the API key Secret, caches, Services and policies of two environments
 *   would overwrite each other; the first by name keeps it;
 * - an existing cluster's KEDA (`autoscaling.keda: install`): cluster-wide CRDs and admission
 *   webhook; the kit's release watches its owner's namespace only;
 * - a model's DNS name on aws (`aicockpit-<model>.<domain>`): one Route 53 record each.
 * Which environments share a cluster is judged from the files: the same kubeconfig file and
 * context (two contexts may reach one cluster; the kit cannot see that).
 */
import { modelHost } from "../aws/names";
import { installsKeda } from "../scale/autoscaling";
import type { Environment } from "../environment";
import type { ConfigIssue } from "../errors";

/** The issues of each environment that clashes with another, by environment name. */
export function sharedClusterIssues(environments: readonly Environment[]): Map<string, ConfigIssue[]> {
  const issues = new Map<string, ConfigIssue[]>();
  const report = (environment: Environment, issue: Omit<ConfigIssue, "file">) => {
    issues.set(environment.name, [...(issues.get(environment.name) ?? []), { file: environment.file, ...issue }]);
  };
  const byName = [...environments].sort((a, b) => a.name.localeCompare(b.name));
  for (const [cluster, sharing] of groupBy(byName, clusterOf)) {
    if (cluster === undefined || sharing.length < 2) continue;
    const monitoringOwner = sharing.find((e) => e.config.monitoring.enabled);
    const kedaOwner = sharing.find((e) => installsKeda(e.config));
    for (const environment of sharing) {
      const namespaceOwner = sharing.find((e) => e.config.namespace === environment.config.namespace);
      if (namespaceOwner && namespaceOwner !== environment) {
        report(environment, {
          field: "namespace",
          message: `environment ${namespaceOwner.name} already deploys its models to namespace ${environment.config.namespace} of ${cluster}; its API key Secret, caches and Services would be overwritten`,
          fix: `give this environment its own namespace (namespace: ${environment.config.namespace}-${environment.name})`,
        });
      }
      if (kedaOwner && kedaOwner !== environment && installsKeda(environment.config)) {
        report(environment, {
          field: "autoscaling.keda",
          message:
            `environment ${kedaOwner.name} installs KEDA on ${cluster}, which a cluster has once (cluster-wide CRDs and admission webhook); ` +
            `its KEDA watches only namespace ${kedaOwner.config.namespace}`,
          fix: "set autoscaling.keda: existing with kedaNamespace naming a KEDA that watches this namespace too (installed outside the kit), or move this environment to another cluster",
        });
      }
      if (monitoringOwner && monitoringOwner !== environment && environment.config.monitoring.enabled) {
        report(environment, {
          field: "monitoring.enabled",
          message:
            `environment ${monitoringOwner.name} owns the monitoring stack of ${cluster}, which a cluster has once: ` +
            "kube-prometheus-stack's CRDs and operator are cluster-wide and its node-exporter takes host port 9100 on every node",
          fix: `set monitoring.enabled: false here (${monitoringOwner.name}'s Prometheus watches namespace ${monitoringOwner.config.namespace} only), or move this environment to another cluster`,
        });
      }
    }
  }
  for (const [, sharing] of groupBy(byName, domainOf)) {
    const seen = new Map<string, Environment>();
    for (const environment of sharing) {
      environment.config.models.forEach((model, index) => {
        if (environment.kind !== "aws") return;
        const host = modelHost(environment.config.target.loadBalancer.domain, model.servedName);
        const owner = seen.get(host);
        if (owner && owner !== environment) {
          report(environment, {
            field: `models[${index}].servedName`,
            message: `environment ${owner.name} already serves a model at ${host}: both would write its DNS record`,
            fix: "serve it under another name, or give the environments different loadBalancer.domain values",
          });
        } else seen.set(host, environment);
      });
    }
  }
  return issues;
}

/** An existing cluster as the files name it; aws environments build a cluster each. */
function clusterOf(environment: Environment): string | undefined {
  if (environment.kind !== "kubernetes") return undefined;
  const { kubeconfig, context } = environment.config.target;
  return `the cluster of context "${context}" in ${kubeconfig}`;
}

function domainOf(environment: Environment): string | undefined {
  return environment.kind === "aws" ? environment.config.target.loadBalancer.domain : undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string | undefined, T[]> {
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
