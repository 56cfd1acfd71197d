/** The readable account of what an environment will deploy, printed by `npm run synth`. */
import { modelBaseUrl } from "./aws/names";
import { awsClusterLines, awsExposureLine } from "./aws/summary-lines";
import { DCGM_EXPORTER_CHART, KUBE_PROMETHEUS_STACK_CHART } from "./pins";
import { dockerBaseUrl } from "./docker/endpoint";
import { SUMMARY_PLACEHOLDERS, endpointUrl } from "./endpoint-url";
import type { Environment, PlannedModel } from "./environment";
import { apiKeySecretName } from "./names";
import { toGiB } from "./planning/memory";
import type { GpuPlan } from "./planning/planner";
import type { MonitoringConfig } from "./schema/monitoring";
import type { ExposureConfig } from "./schema/serving";
import type { DockerTarget } from "./schema/target";
import { localStateWarnings } from "./schema/state";

const number = (n: number) => n.toLocaleString("en-US");

export function formatPlanLines(plan: GpuPlan): string[] {
  return [
    `weights ${plan.weightGiBPerGpu} GiB/GPU · KV cache ${plan.kvCacheGiBPerGpu} GiB/GPU ` +
      `(${number(plan.kvBytesPerTokenPerGpu)} B/token) = ${number(plan.kvCacheTokens)} tokens`,
    `max model length ${number(plan.maxModelLen)} (fits up to ${number(plan.largestMaxModelLen)}) · max concurrency ` +
      `${plan.maxConcurrency}× at full length, ${plan.concurrencyAtTypicalLength}× at ${number(plan.typicalRequestTokens)} tokens`,
  ];
}

export function formatEnvironmentSummary(environment: Environment, extra: { resources?: number; outputFile?: string } = {}): string {
  const { config } = environment;
  const target = targetSummary(environment);
  const keyLocation =
    environment.kind === "docker"
      ? `file ${environment.config.target.apiKeyFile} on the host`
      : `Secret ${config.namespace}/${apiKeySecretName(config.auth.apiKey)}`;
  const lines = [
    `Environment ${environment.name} (${environment.file})${config.description ? ` — ${config.description}` : ""}`,
    `  target     ${target.description}`,
    environment.kind === "docker"
      ? `  image      ${config.image.repository}:${config.image.tag}`
      : `  namespace  ${config.namespace} · image ${config.image.repository}:${config.image.tag}`,
    ...config.gpuPools.map(
      (pool) =>
        `  pool       ${pool.name}: ${pool.nodes} node(s) × ${pool.gpusPerNode} ${pool.gpu} = ${pool.nodes * pool.gpusPerNode} GPU(s)`,
    ),
    ...environment.models.flatMap((model, index) => [
      ...modelLines(model, target.endpointUrl(model.config.servedName, index), keyLocation),
      ...(environment.kind === "docker" ? [`             GPU ${environment.config.gpuIndices[index].join(", ")} of the host`] : []),
    ]),
    `  exposure   ${target.exposure}`,
    `  monitoring ${environment.kind === "docker" ? dockerMonitoringLine(environment.config.target, config.monitoring) : monitoringLine(config.monitoring)}`,
    ...target.clusterLines,
  ];
  if (extra.resources !== undefined) {
    lines.push(`  terraform  ${extra.resources} resources${extra.outputFile ? ` → ${extra.outputFile}` : ""}`);
  }
  // A docker target's state holds no secret: the key and Grafana's password stay in the host's file.
  const stateWarnings = environment.kind === "docker" ? [] : localStateWarnings(config);
  for (const warning of [...environment.warnings, ...stateWarnings]) lines.push(`  warning    ${warning}`);
  return lines.join("\n");
}

/** What the summary says that depends on the target. */
interface TargetSummary {
  description: string;
  exposure: string;
  /** Base URL of the `modelIndex`-th model. */
  endpointUrl: (servedName: string, modelIndex: number) => string;
  /** The cluster the kit builds, and its cost; none for an existing cluster. */
  clusterLines: string[];
}

function targetSummary(environment: Environment): TargetSummary {
  if (environment.kind === "docker") {
    const { target } = environment.config;
    return {
      description: `Docker on ${target.host}`,
      exposure: `gateway on ${target.bindAddress}:${target.ports.gateway}, the only published serving port`,
      endpointUrl: (servedName) => dockerBaseUrl(target, servedName),
      clusterLines: [],
    };
  }
  if (environment.kind === "aws") {
    const { config } = environment;
    return {
      description: `AWS EKS in ${config.target.region}`,
      exposure: awsExposureLine(config.target),
      endpointUrl: (servedName) => modelBaseUrl(config.target.loadBalancer.domain, servedName),
      clusterLines: awsClusterLines(config),
    };
  }
  const { config } = environment;
  return {
    description: `existing Kubernetes cluster, context "${config.target.context}" of ${config.target.kubeconfig}`,
    exposure: exposureLine(config.exposure),
    endpointUrl: (servedName, modelIndex) => endpointUrl(config.exposure, servedName, modelIndex, config.namespace, SUMMARY_PLACEHOLDERS),
    clusterLines: [],
  };
}

function dockerMonitoringLine(target: DockerTarget, monitoring: MonitoringConfig): string {
  if (!monitoring.enabled) return "off";
  const at = (port: number) => `${target.bindAddress}:${port}`;
  return (
    `Prometheus ${at(target.ports.prometheus)} · Alertmanager ${at(target.ports.alertmanager)} · Grafana ${at(target.ports.grafana)}` +
    `${monitoring.dcgmExporter.enabled ? " · DCGM exporter" : ""}; ${sloText(monitoring)}`
  );
}

/** The targets the alerts hold the deployment to, as the summary states them. */
function sloText({ slo }: MonitoringConfig): string {
  return `SLOs: completion TTFT p95 ≤ ${slo.completionTtftP95Ms} ms, availability ${slo.availabilityPercent} %`;
}

/** "2 replica(s)", or "2–4 replicas (KEDA on queue depth)" for an autoscaled model. */
function replicaCount(config: PlannedModel["config"]): string {
  const scaling = config.autoscaling;
  if (!scaling) return `${config.replicas} replica(s)`;
  const idle = scaling.scaleToZero ? ", 0 when idle" : "";
  return `${scaling.minReplicas}–${scaling.maxReplicas} replicas (KEDA on queue depth${idle})`;
}

function modelLines(model: PlannedModel, url: string, keyLocation: string): string[] {
  const { config, spec, plan } = model;
  return [
    `  model      ${config.servedName} — ${spec.hfRepo}${config.revision === undefined ? "" : `@${config.revision}`}, role ${config.role}, FIM ${spec.fimTemplate}`,
    `             ${plan.gpusPerReplica} GPU(s)/replica (TP ${config.tensorParallel} × PP ${config.pipelineParallel}` +
      `${plan.nodesPerReplica > 1 ? ` over ${plan.nodesPerReplica} nodes` : ""}) × ${replicaCount(config)} on ${model.pool.name} (${model.gpu.id})`,
    ...formatPlanLines(plan).map((line) => `             ${line}`),
    ...servingOptionsLines(model).map((line) => `             ${line}`),
    `             endpoint ${url}  (API key: ${keyLocation})`,
  ];
}

/** Tool calling, speculative decoding and LoRA, with what the planner reserved for them. */
export function servingOptionsLines({ serving, plan }: PlannedModel): string[] {
  const lines: string[] = [];
  if (serving.toolCallParser) lines.push(`tool calling on (parser ${serving.toolCallParser})`);
  const { speculative, lora } = serving;
  if (speculative?.method === "ngram") {
    lines.push(`speculative decoding: n-gram lookup, ${speculative.numSpeculativeTokens} tokens per step (no GPU memory)`);
  } else if (speculative) {
    lines.push(
      `speculative decoding: draft ${speculative.draft.id}, ${speculative.numSpeculativeTokens} tokens per step ` +
        `(${toGiB(plan.overheadBytesPerGpu.draftWeights)} GiB/GPU of weights, its KV cache in the B/token above)`,
    );
  }
  if (lora) {
    lines.push(
      `LoRA: ${lora.adapters.map((adapter) => adapter.name).join(", ")} (rank ≤ ${lora.maxRank}, ${lora.maxLoras} slot(s), ` +
        `${toGiB(plan.overheadBytesPerGpu.lora)} GiB/GPU), each its own endpoint`,
    );
  }
  return lines;
}

function exposureLine(exposure: ExposureConfig): string {
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

function monitoringLine(monitoring: MonitoringConfig): string {
  if (!monitoring.enabled) return "off";
  const grafana = monitoring.grafana.ingress ? `Grafana at https://${monitoring.grafana.ingress.host}` : "Grafana private (port-forward)";
  return (
    `${KUBE_PROMETHEUS_STACK_CHART.chart} ${KUBE_PROMETHEUS_STACK_CHART.version} + ${DCGM_EXPORTER_CHART.chart} ` +
    `${DCGM_EXPORTER_CHART.version} in namespace ${monitoring.namespace}; ${sloText(monitoring)}; ${grafana}`
  );
}
