/**
 * Monitoring on one Docker host: Prometheus scraping the vLLM containers and the DCGM exporter
 * over the internal models network, Alertmanager, and Grafana with the kit's dashboards. Their
 * UIs are published on the target's bind address only (loopback by default).
 */
import { Container } from "@cdktf/provider-docker/lib/container";
import type { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { Construct } from "constructs";
import { DOCKER_API_KEY_PATH } from "../../core/docker/api-key";
import { ALERTMANAGER_IMAGE, DCGM_EXPORTER_IMAGE, GRAFANA_IMAGE, PROMETHEUS_IMAGE } from "../../core/pins";
import type { MonitoringConfig } from "../../core/schema/monitoring";
import type { DockerTarget } from "../../core/schema/target";
import { loadDashboards } from "../../monitoring/dashboards";
import { DCGM_COUNTERS, MONITORING_PORTS } from "../../monitoring/helm-values";
import { renderRuleFiles } from "../../monitoring/render-rules";
import { ConfigVolume } from "./config-volume";
import { HARDENED_CONTAINER } from "./hardening";
import {
  PROMETHEUS_CONFIG_DIR,
  PROMETHEUS_RULES_DIR,
  dockerAlertmanagerConfig,
  dockerPrometheusConfig,
  dockerRuleFiles,
  grafanaDashboardProvider,
  grafanaDatasource,
} from "./monitoring-config";

/** The images' own users: `nobody` for the Prometheus images, 472 for Grafana (their Dockerfiles' USER). */
const PROMETHEUS_UID = 65534;
const GRAFANA_UID = 472;
/** The image's GF_PATHS_PROVISIONING; the dashboards the provider reads sit beside its subfolders. */
const GRAFANA_PROVISIONING_DIR = "/etc/grafana/provisioning";
const DASHBOARDS_DIR = `${GRAFANA_PROVISIONING_DIR}/aicockpit-dashboards`;
const ALERTMANAGER_CONFIG_DIR = "/etc/alertmanager";
/** Scratch space for what an image writes outside its data volume; memory-backed, gone on restart. */
const SCRATCH = "rw,noexec,nosuid,size=64m";

export interface DockerMonitoringProps {
  /** Prefix of every container and volume name, `aicockpit-<environment>`. */
  readonly prefix: string;
  /** The environment's monitoring section. */
  readonly monitoring: MonitoringConfig;
  /** The docker target: bind address, ports and the API key file (Grafana's admin password). */
  readonly target: DockerTarget;
  /** `namespace` label of the vLLM series. */
  readonly namespace: string;
  /** The vLLM containers' names, scraped on the models network. */
  readonly modelContainers: readonly string[];
  /** Served names of the completion models (the completion SLO's rules). */
  readonly completionModels: readonly string[];
  /** Internal network of the models. */
  readonly modelsNetwork: Network;
  /** Network the UIs are published from. */
  readonly edgeNetwork: Network;
  /** The image of the one-shot container that hands named volumes to the images' users (it has chown). */
  readonly volumeOwnerImage: string;
}

export class DockerMonitoring extends Construct {
  public readonly prometheus: Container;

  public constructor(scope: Construct, id: string, props: DockerMonitoringProps) {
    super(scope, id);
    const { prefix, monitoring, target } = props;
    const name = (what: string) => `${prefix}-${what}`;
    const dcgm = monitoring.dcgmExporter.enabled ? name("dcgm-exporter") : undefined;
    const rules = renderRuleFiles({
      completionTtftP95Ms: monitoring.slo.completionTtftP95Ms,
      availabilityPercent: monitoring.slo.availabilityPercent,
      completionModels: props.completionModels,
      servingNamespace: props.namespace,
      runbookBaseUrl: monitoring.runbookBaseUrl,
      gpuRules: dcgm !== undefined,
    });
    const published = (internal: number, external: number) => [{ internal, external, ip: target.bindAddress }];
    const networks = [{ name: props.modelsNetwork.name }, { name: props.edgeNetwork.name }];
    const prometheusData = new Volume(this, "prometheus-data", { name: name("prometheus-data") });
    const grafanaData = new Volume(this, "grafana-data", { name: name("grafana-data") });
    const owner = (what: string, volume: Volume, uid: number) =>
      new Container(this, `${what}-volume-owner`, {
        name: name(`${what}-volume-owner`),
        image: props.volumeOwnerImage,
        entrypoint: ["chown", `${uid}:${uid}`, "/data"],
        user: "0:0",
        attach: true,
        mustRun: false,
        networkMode: "none",
        volumes: [{ volumeName: volume.name, containerPath: "/data" }],
      });

    const prometheusConfig = new ConfigVolume(this, "prometheus-config", {
      name: name("prometheus-config"),
      image: PROMETHEUS_IMAGE,
      mountPath: PROMETHEUS_CONFIG_DIR,
      files: [
        {
          file: `${PROMETHEUS_CONFIG_DIR}/prometheus.yml`,
          content: dockerPrometheusConfig({
            models: props.modelContainers.map((container) => ({ container })),
            namespace: props.namespace,
            alertmanager: name("alertmanager"),
            dcgmExporter: dcgm,
            ruleFiles: rules,
          }),
        },
        ...dockerRuleFiles(rules).map(({ fileName, text }) => ({ file: `${PROMETHEUS_RULES_DIR}/${fileName}`, content: text })),
      ],
    });
    // Read-only root: Prometheus writes only its TSDB, the data volume (the distroless image's
    // WORKDIR and --storage.tsdb.path, prometheus/prometheus Dockerfile.distroless, read 2026-11-26).
    this.prometheus = new Container(this, "prometheus", {
      name: name("prometheus"),
      image: PROMETHEUS_IMAGE,
      ...HARDENED_CONTAINER,
      user: `${PROMETHEUS_UID}:${PROMETHEUS_UID}`,
      command: [
        `--config.file=${PROMETHEUS_CONFIG_DIR}/prometheus.yml`,
        "--storage.tsdb.path=/prometheus",
        `--storage.tsdb.retention.time=${monitoring.retention}`,
      ],
      volumes: [{ volumeName: prometheusData.name, containerPath: "/prometheus" }, prometheusConfig.mount],
      ports: published(MONITORING_PORTS.prometheus, target.ports.prometheus),
      networksAdvanced: networks,
      healthcheck: toolCheck("promtool", ["check", "healthy"]),
      dependsOn: [owner("prometheus", prometheusData, PROMETHEUS_UID), prometheusConfig.writer],
    });

    const alertmanagerConfig = new ConfigVolume(this, "alertmanager-config", {
      name: name("alertmanager-config"),
      image: ALERTMANAGER_IMAGE,
      mountPath: ALERTMANAGER_CONFIG_DIR,
      files: [{ file: `${ALERTMANAGER_CONFIG_DIR}/alertmanager.yml`, content: dockerAlertmanagerConfig(monitoring.alertmanager) }],
    });
    // Read-only root: Alertmanager writes only its --storage.path (silences, notification log),
    // kept in memory here; the image's VOLUME /alertmanager is not used (prometheus/alertmanager
    // Dockerfile, read 2026-11-26).
    new Container(this, "alertmanager", {
      name: name("alertmanager"),
      image: ALERTMANAGER_IMAGE,
      ...HARDENED_CONTAINER,
      user: `${PROMETHEUS_UID}:${PROMETHEUS_UID}`,
      command: [`--config.file=${ALERTMANAGER_CONFIG_DIR}/alertmanager.yml`, "--storage.path=/tmp"],
      volumes: [alertmanagerConfig.mount],
      tmpfs: { "/tmp": SCRATCH },
      ports: published(MONITORING_PORTS.alertmanager, target.ports.alertmanager),
      networksAdvanced: networks,
      healthcheck: toolCheck("amtool", ["check-config", `${ALERTMANAGER_CONFIG_DIR}/alertmanager.yml`]),
      dependsOn: [alertmanagerConfig.writer],
    });

    const grafanaConfig = new ConfigVolume(this, "grafana-config", {
      name: name("grafana-config"),
      image: GRAFANA_IMAGE,
      mountPath: GRAFANA_PROVISIONING_DIR,
      files: [
        {
          file: `${GRAFANA_PROVISIONING_DIR}/datasources/prometheus.yaml`,
          content: grafanaDatasource(`http://${name("prometheus")}:${MONITORING_PORTS.prometheus}`),
        },
        { file: `${GRAFANA_PROVISIONING_DIR}/dashboards/aicockpit.yaml`, content: grafanaDashboardProvider(DASHBOARDS_DIR) },
        ...loadDashboards().map((file) => ({ file: `${DASHBOARDS_DIR}/${file.fileName}`, content: file.json })),
      ],
    });
    // Read-only root: Grafana writes its database and plugins to GF_PATHS_DATA (the data volume)
    // and, by default, a log file to GF_PATHS_LOGS (grafana/grafana Dockerfile; conf/sample.ini
    // `[log] mode`: "Default is console and file"; read 2026-11-26): console only here.
    new Container(this, "grafana", {
      name: name("grafana"),
      image: GRAFANA_IMAGE,
      ...HARDENED_CONTAINER,
      user: `${GRAFANA_UID}:${GRAFANA_UID}`,
      env: [
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
        "GF_AUTH_ANONYMOUS_ENABLED=false",
        "GF_LOG_MODE=console",
        // Grafana reads `<option>__FILE` from a file; the API key file doubles as the admin
        // password, so no second secret exists and neither enters Terraform state.
        `GF_SECURITY_ADMIN_PASSWORD__FILE=${DOCKER_API_KEY_PATH}`,
      ],
      volumes: [
        { volumeName: grafanaData.name, containerPath: "/var/lib/grafana" },
        { hostPath: target.apiKeyFile, containerPath: DOCKER_API_KEY_PATH, readOnly: true },
        grafanaConfig.mount,
      ],
      tmpfs: { "/tmp": SCRATCH },
      ports: published(MONITORING_PORTS.grafana, target.ports.grafana),
      networksAdvanced: networks,
      healthcheck: {
        test: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${MONITORING_PORTS.grafana}/api/health`],
        interval: "30s",
        timeout: "5s",
        retries: 3,
      },
      dependsOn: [owner("grafana", grafanaData, GRAFANA_UID), grafanaConfig.writer],
    });

    if (dcgm !== undefined) {
      new Container(this, "dcgm-exporter", {
        name: dcgm,
        image: DCGM_EXPORTER_IMAGE,
        ...HARDENED_CONTAINER,
        // Writable root, as on Kubernetes (monitoring/helm-values.ts): NVIDIA's chart leaves
        // readOnlyRootFilesystem off ("Enable if tmpfs volumes are configured", naming none;
        // deployment/values.yaml @ d5e5f51), so where the embedded DCGM writes is not stated.
        readOnly: false,
        runtime: "nvidia",
        env: ["NVIDIA_VISIBLE_DEVICES=all", "DCGM_EXPORTER_COLLECTORS=/etc/dcgm-exporter/aicockpit.csv"],
        upload: [{ file: "/etc/dcgm-exporter/aicockpit.csv", content: `${DCGM_COUNTERS.join("\n")}\n` }],
        // Not published: Prometheus scrapes it over the models network.
        networksAdvanced: [{ name: props.modelsNetwork.name }],
        healthcheck: {
          test: ["CMD", "/usr/bin/dcgm-exporter", "--version"],
          interval: "60s",
          timeout: "5s",
          retries: 3,
        },
      });
    }
  }
}

/**
 * The distroless Prometheus images have no shell, wget or curl: the check runs the image's own
 * tool (`promtool check healthy` asks Prometheus' /-/healthy; `amtool check-config` re-reads the
 * config), which exits non-zero on failure.
 */
function toolCheck(tool: string, args: string[]) {
  return { test: ["CMD", `/bin/${tool}`, ...args], interval: "30s", timeout: "5s", retries: 3 };
}
