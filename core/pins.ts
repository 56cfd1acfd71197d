/**
 * Every pinned upstream version the kit deploys, declared once: Helm charts and the images
 * the kit runs besides the user's vLLM image (whose tag each environment pins). A new
 * version is a reviewed change, never a surprise on the next deploy: each pin names the
 * newest release read in its project's own repository, with the date it was read. The values
 * keys the kit sets on each chart are listed, with the version they were checked against, in
 * test/aws/chart-values.test.ts; bumping a chart fails that test until the keys are re-checked.
 */

export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/**
 * Chart 88.5.3 (prometheus-operator v0.93.1, grafana subchart 12.11.1): tag
 * `kube-prometheus-stack-88.5.3` = ea930bae of prometheus-community/helm-charts (2026-08-21),
 * read 2026-11-26. Helm does not upgrade CRDs: an installed 79.x needs the CRDs of
 * `charts/kube-prometheus-stack/UPGRADE.md` applied first (docs/monitoring.md).
 */
export const KUBE_PROMETHEUS_STACK_CHART: ChartPin = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
};

/**
 * Chart 4.8.3 (exporter 4.6.0-4.8.3): NVIDIA/dcgm-exporter `deployment/Chart.yaml` @ 7ad58324,
 * release PR #711 (2026-07-14), read 2026-11-26. Its metrics carry the label `hostname`
 * (`Hostname` before 4.8.3). 4.9.0 renames metrics and changes the values format: not taken.
 */
export const DCGM_EXPORTER_CHART: ChartPin = {
  repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
  chart: "dcgm-exporter",
  version: "4.8.3",
};

/**
 * aws: advertises each GPU node's GPUs as `nvidia.com/gpu`. Chart 0.20.0: tag v0.20.0 =
 * 1b826acc of NVIDIA/k8s-device-plugin (2026-08-19) and its gh-pages index, read 2026-11-26.
 */
export const NVIDIA_DEVICE_PLUGIN_CHART: ChartPin = {
  repository: "https://nvidia.github.io/k8s-device-plugin",
  chart: "nvidia-device-plugin",
  version: "0.20.0",
};

/**
 * aws: reconciles the models' NLB Services. Chart 3.5.0 = controller v3.5.0 (from 3.x the chart
 * version equals the controller's): aws/eks-charts `stable/aws-load-balancer-controller` @
 * 5239609 (2026-08-03), read 2026-11-26. Its IAM policy is unchanged since v2.13.4
 * (constructs/aws/load-balancer-controller-role.ts).
 */
export const LOAD_BALANCER_CONTROLLER_CHART: ChartPin = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "3.5.0",
};

/**
 * The API gateway sidecar in front of every vLLM pod: nginx that runs as a non-root user, on
 * the supported stable line 1.30. nginx/docker-nginx-unprivileged 8b44229 "Updated mainline to
 * 1.31.3, stable to 1.30.4" (2026-07-15), read 2026-11-26.
 */
export const GATEWAY_IMAGE = "nginxinc/nginx-unprivileged:1.30.4-alpine";

/**
 * The monitoring images a docker target runs, the versions the Kubernetes target deploys:
 * kube-prometheus-stack 88.5.3 `values.yaml` sets quay.io/prometheus/prometheus v3.14.0-distroless
 * and quay.io/prometheus/alertmanager v0.34.0; its grafana subchart 12.11.1 (grafana-community/
 * helm-charts tag grafana-12.11.1, 2026-08-19) has appVersion 13.2.0, the image tag it defaults to.
 * Read in the repositories at those tags on 2026-11-26.
 */
export const PROMETHEUS_IMAGE = "quay.io/prometheus/prometheus:v3.14.0-distroless";
export const ALERTMANAGER_IMAGE = "quay.io/prometheus/alertmanager:v0.34.0";
export const GRAFANA_IMAGE = "docker.io/grafana/grafana:13.2.0";

/**
 * docker: the exporter image of DCGM_EXPORTER_CHART 4.8.3, DCGM 4.6.0 with exporter 4.8.3.
 * Checked on 2026-11-26 in NVIDIA/dcgm-exporter: release PR #711 "feat: release 4.6.0-4.8.3"
 * (merged 2026-07-14, commit 7ad58324) names the release tag `4.6.0-4.8.3`; the README's
 * quick-start after it runs `nvcr.io/nvidia/k8s/dcgm-exporter:4.6.0-4.8.3-distroless`; the
 * Makefile tags images `<DCGM>-<exporter>-<IMAGE_TAG>` (`FULL_VERSION`), and the release before
 * it pairs chart 4.8.2 with `4.5.3-4.8.2-distroless` (`deployment/values.yaml` @ d5e5f51,
 * 2026-05-12). No later release: issue #743 (2026-09-16) still asks for one with DCGM 4.7. The
 * kit's counters (DCGM_COUNTERS) are no profiling fields, so it needs no SYS_ADMIN.
 */
export const DCGM_EXPORTER_IMAGE = "nvcr.io/nvidia/k8s/dcgm-exporter:4.6.0-4.8.3-distroless";

/**
 * The router in front of a model's replicas (core/scale/routing.ts). vllm-project/router
 * publishes `vllm/vllm-router:v<version>` for each release (.buildkite/scripts/
 * publish-release-images.sh @ e0c942d4: "Release tags: latest, v${VERSION}"); the newest
 * version read is 0.1.15 (Cargo.toml @ 0e7a5e1e), read 2026-11-26. The image has no USER
 * (Dockerfile.router @ 0263c2c9): the pod runs it as a non-root UID.
 */
export const ROUTER_IMAGE = "vllm/vllm-router:v0.1.15";

/**
 * KEDA, which scales autoscaled models on their queue depth (docs/scale-out.md). Chart 2.20.2 =
 * KEDA 2.20.2 (appVersion): kedacore/charts `keda/Chart.yaml` at tag v2.20.2 = cbb9bb8c
 * (2026-07-31), the newest tag, read 2026-11-26. The ScaledObject fields the kit sets were checked
 * against the chart's CRD (`keda/templates/crds/crd-scaledobjects.yaml` @ v2.20.2) and
 * kedacore/keda-docs `content/docs/2.20/reference/scaledobject-spec.md` and
 * `scalers/prometheus.md` @ a55c5d34 (2026-08-20), read 2026-11-26.
 */
export const KEDA_CHART: ChartPin = {
  repository: "https://kedacore.github.io/charts",
  chart: "keda",
  version: "2.20.2",
};

/**
 * aws: grows a GPU node group up to its `maxNodes` when autoscaled replicas wait for GPUs, and
 * removes idle nodes down to `minNodes`. Chart 9.59.0: tag cluster-autoscaler-chart-9.59.0 =
 * 5a0b98e4 of kubernetes/autoscaler (2026-07-21), the newest chart tag, read 2026-11-26.
 */
export const CLUSTER_AUTOSCALER_CHART: ChartPin = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.59.0",
};

/**
 * The cluster autoscaler's image for each EKS minor: the project releases one line per
 * Kubernetes minor and supports each only with its own (cluster-autoscaler/README.md @ cluster-autoscaler-chart-9.59.0: "use ... the Cluster Autoscaler release that corresponds to the minor version of Kubernetes").
 * The newest `cluster-autoscaler-<version>` tag of each line in kubernetes/autoscaler, read
 * 2026-11-26: 1.36.1 and 1.35.2 (2026-07-22), 1.34.5, 1.33.6, 1.32.7.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
  "1.36": "v1.36.1",
  "1.35": "v1.35.2",
  "1.34": "v1.34.5",
  "1.33": "v1.33.6",
  "1.32": "v1.32.7",
};
