/** The readable account of what an environment will deploy, printed by `npm run synth`. */
import { awsClusterLines, awsEndpointUrl, awsExposureLine } from "./aws/summary-lines";
import { DCGM_EXPORTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from "./pins";
import { SUMMARY_PLACEHOLDERS, endpointUrl } from "./endpoint-url";
import type { Environment, PlannedModel } from "./load-environment";
import { apiKeySecretName } from "./names";
import type { GpuPlan } from "./planning/planner";

const number = (n: number) => n.toLocaleString("en-US");

export function formatPlanLines(plan: GpuPlan): string[] {
  return [
    `weights ${plan.weightGiBPerGpu} GiB/GPU · KV cache ${plan.kvCacheGiBPerGpu} GiB/GPU ` +
      `(${number(plan.kvBytesPerTokenPerGpu)} B/token) = ${number(plan.kvCacheTokens)} tokens`,
    `max model length ${number(plan.maxModelLen)} · max concurrency ${plan.maxConcurrency}× at full length`,
  ];
}

export function formatEnvironmentSummary(environment: Environment, extra: { resources?: number; outputFile?: string } = {}): string {
  const { config } = environment;
  const target =
    config.target.kind === "kubernetes"
      ? `existing Kubernetes cluster, context "${config.target.context}" of ${config.target.kubeconfig}`
      : `AWS EKS in ${config.target.region}`;
  const apiKeySecret = apiKeySecretName(config.auth.apiKey);
  const lines = [
    `Environment ${environment.name} (${environment.file})${config.description ? ` — ${config.description}` : ""}`,
    `  target     ${target}`,
    `  namespace  ${config.namespace} · image ${config.image.repository}:${config.image.tag}`,
    ...config.gpuPools.map(
      (pool) => `  pool       ${pool.name}: ${pool.nodes} node(s) × ${pool.gpusPerNode} ${pool.gpu} = ${pool.nodes * pool.gpusPerNode} GPU(s)`,
    ),
    ...environment.models.flatMap((model, index) => modelLines(environment, model, index, apiKeySecret)),
    `  exposure   ${exposureLine(environment)}`,
    `  monitoring ${monitoringLine(environment)}`,
    ...(config.target.kind === "aws" ? awsClusterLines(config.target, config) : []),
  ];
  if (extra.resources !== undefined) {
    lines.push(`  terraform  ${extra.resources} resources${extra.outputFile ? ` → ${extra.outputFile}` : ""}`);
  }
  for (const warning of environment.warnings) lines.push(`  warning    ${warning}`);
  return lines.join("\n");
}

function modelLines(environment: Environment, model: PlannedModel, modelIndex: number, apiKeySecret: string): string[] {
  const { config, spec, plan } = model;
  const url =
    awsEndpointUrl(environment.config, config.servedName) ??
    endpointUrl(environment.config.exposure, config.servedName, modelIndex, environment.config.namespace, SUMMARY_PLACEHOLDERS);
  return [
    `  model      ${config.servedName} — ${spec.hfRepo}, role ${config.role}, FIM ${spec.fimTemplate}`,
    `             ${plan.gpusPerReplica} GPU(s)/replica (TP ${config.tensorParallel} × PP ${config.pipelineParallel}` +
      `${plan.nodesPerReplica > 1 ? ` over ${plan.nodesPerReplica} nodes` : ""}) × ${config.replicas} replica(s) on ${model.pool.name} (${model.gpu.id})`,
    ...formatPlanLines(plan).map((line) => `             ${line}`),
    `             endpoint ${url}  (API key: Secret ${environment.config.namespace}/${apiKeySecret})`,
  ];
}

function exposureLine(environment: Environment): string {
  if (environment.config.target.kind === "aws") return awsExposureLine(environment.config.target);
  const exposure = environment.config.exposure;
  switch (exposure.type) {
    case "ClusterIP":
      return "ClusterIP — reachable inside the cluster only";
    case "NodePort":
      return `NodePort on ${exposure.host}, allowed from ${exposure.allowedCidrs.join(", ")}`;
    case "LoadBalancer":
      return `LoadBalancer (${exposure.internal ? "internal" : "internet-facing"}), allowed from ${exposure.allowedCidrs.join(", ")}`;
    case "Ingress":
      return `Ingress https://${exposure.host} (TLS secret ${exposure.tlsSecret}, class ${exposure.className})`;
  }
}

function monitoringLine(environment: Environment): string {
  const monitoring = environment.config.monitoring;
  if (!monitoring.enabled) return "off";
  const grafana = monitoring.grafana.ingress ? `Grafana at https://${monitoring.grafana.ingress.host}` : "Grafana private (port-forward)";
  return (
    `${KUBE_PROMETHEUS_STACK_CHART.chart} ${KUBE_PROMETHEUS_STACK_CHART.version} + ${DCGM_EXPORTER_CHART.chart} ` +
    `${DCGM_EXPORTER_CHART.version} in namespace ${monitoring.namespace}; completion SLO TTFT p95 ≤ ` +
    `${monitoring.slo.completionTtftP95Ms} ms; ${grafana}`
  );
}
