/**
 * Every pinned upstream version the kit deploys, declared once: Helm charts and the images
 * the kit runs besides the user's vLLM image (whose tag each environment pins). A new
 * version is a reviewed change, never a surprise on the next deploy.
 */

export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** Pinned: a chart upgrade changes CRDs, rules and dashboards, so it is a reviewed change. */
export const KUBE_PROMETHEUS_STACK_CHART: ChartPin = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "79.7.1",
};

/** Pinned; its metrics carry the `Hostname` label (renamed `hostname` in exporter 4.8.3). */
export const DCGM_EXPORTER_CHART: ChartPin = {
  repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
  chart: "dcgm-exporter",
  version: "4.8.1",
};

/** aws: advertises each GPU node's GPUs as `nvidia.com/gpu`. */
export const NVIDIA_DEVICE_PLUGIN_CHART: ChartPin = {
  repository: "https://nvidia.github.io/k8s-device-plugin",
  chart: "nvidia-device-plugin",
  version: "0.17.1",
};

/** aws: reconciles the models' NLB Services. */
export const LOAD_BALANCER_CONTROLLER_CHART: ChartPin = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "1.13.4",
};

/** The API gateway sidecar in front of every vLLM pod: nginx that runs as a non-root user. */
export const GATEWAY_IMAGE = "nginxinc/nginx-unprivileged:1.27.5-alpine";
