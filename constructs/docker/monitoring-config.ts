/**
 * The Prometheus, Alertmanager and Grafana configuration files of a docker target, rendered from
 * the same monitoring/ sources as the Kubernetes target: the rules (monitoring/render-rules.ts),
 * the Alertmanager routing (monitoring/alertmanager-config.ts) and the dashboards. Pure, so the
 * files are checked with promtool and amtool in tests.
 */
import YAML from "yaml";
import type { MonitoringConfig } from "../../core/schema/monitoring";
import { buildAlertmanagerConfig } from "../../monitoring/alertmanager-config";
import { MONITORING_PORTS } from "../../monitoring/helm-values";
import { ruleFileYaml, type RuleFile } from "../../monitoring/render-rules";
import { VLLM_PORT } from "../../core/names";

/** Prometheus's configuration folder (the image's own), a read-only volume on docker. */
export const PROMETHEUS_CONFIG_DIR = "/etc/prometheus";
/** Where the rendered rule files are written in the Prometheus container. */
export const PROMETHEUS_RULES_DIR = `${PROMETHEUS_CONFIG_DIR}/rules`;

export interface ScrapedModel {
  /** Container name: the scrape address on the models network, and the `pod` label. */
  readonly container: string;
}

export interface DockerPrometheusInput {
  readonly models: readonly ScrapedModel[];
  /** `namespace` label of every vLLM series, as on Kubernetes, so the rules select the same way. */
  readonly namespace: string;
  readonly alertmanager: string;
  /** Container name of the DCGM exporter; undefined when it does not run. */
  readonly dcgmExporter: string | undefined;
  readonly ruleFiles: readonly RuleFile[];
}

/** `prometheus.yml`: vLLM and the DCGM exporter scraped by container name, rules and Alertmanager. */
export function dockerPrometheusConfig(input: DockerPrometheusInput): string {
  const config = {
    global: { scrape_interval: "15s", evaluation_interval: "15s" },
    rule_files: input.ruleFiles.map((file) => `${PROMETHEUS_RULES_DIR}/${file.fileName}`),
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`${input.alertmanager}:${MONITORING_PORTS.alertmanager}`] }] }] },
    scrape_configs: [
      {
        job_name: "vllm",
        // vLLM's `model_name` label is kept as is (honor_labels), as the PodMonitor does.
        honor_labels: true,
        static_configs: input.models.map((model) => ({
          targets: [`${model.container}:${VLLM_PORT}`],
          labels: { namespace: input.namespace, pod: model.container },
        })),
      },
      ...(input.dcgmExporter === undefined
        ? []
        : [{ job_name: "dcgm-exporter", static_configs: [{ targets: [`${input.dcgmExporter}:${MONITORING_PORTS.dcgmExporter}`] }] }]),
    ],
  };
  return YAML.stringify(config);
}

/** The rule files' text by file name. */
export function dockerRuleFiles(files: readonly RuleFile[]): { fileName: string; text: string }[] {
  return files.map((file) => ({ fileName: file.fileName, text: ruleFileYaml(file) }));
}

/**
 * `alertmanager.yml`. Receivers need Secrets a docker target does not have, so the loader
 * refuses them there (core/validation/docker-target.ts); what remains is the routing.
 */
export function dockerAlertmanagerConfig(alertmanager: MonitoringConfig["alertmanager"]): string {
  const unreachable = (): never => {
    throw new Error("a docker target has no alert receivers (refused by the loader)");
  };
  return YAML.stringify(buildAlertmanagerConfig(alertmanager, { filePath: unreachable, value: unreachable }));
}

/** Grafana's provisioned Prometheus data source. */
export function grafanaDatasource(prometheusUrl: string): string {
  return YAML.stringify({
    apiVersion: 1,
    datasources: [{ name: "Prometheus", type: "prometheus", uid: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true }],
  });
}

/** Grafana's dashboard provider reading the uploaded dashboard files. */
export function grafanaDashboardProvider(dir: string): string {
  return YAML.stringify({ apiVersion: 1, providers: [{ name: "aicockpit", type: "file", options: { path: dir } }] });
}
