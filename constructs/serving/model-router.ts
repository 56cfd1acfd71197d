import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Construct } from "constructs";
import { GATEWAY_PROXY_SETTINGS, gatewayConfig } from "../../core/gateway-config";
import { GATEWAY_PORT } from "../../core/names";
import { GATEWAY_IMAGE, ROUTER_IMAGE } from "../../core/pins";
import {
  GATEWAY_MEMORY_LIMIT_MIB,
  GATEWAY_REQUESTS,
  ROUTER_MEMORY_LIMIT_MIB,
  ROUTER_REQUESTS,
  cpuQuantity,
  memoryQuantity,
} from "../../core/pod-resources";
import {
  ROUTER_METRICS_PORT,
  ROUTER_PORT,
  routedPodSelector,
  routerArgs,
  routerPodLabels,
  routerResourceName,
  type RoutingPolicy,
} from "../../core/scale/routing";
import { API_SERVER_EGRESS } from "./network-peers";
import { GATEWAY_SCRATCH_VOLUME, GATEWAY_UID, restrictedContainer } from "./pod-security";

/** UID the router image runs as: it declares no USER (Dockerfile.router), so the pod names one. */
export const ROUTER_UID = 1000;

export interface ModelRouterProps {
  /** Namespace of the model's pods, where the router runs and discovers them. */
  readonly namespace: string;
  /** The model's served name: labels, names and the router's discovery selector follow from it. */
  readonly servedName: string;
  /** How the router picks a replica. */
  readonly policy: RoutingPolicy;
  /** Router pods; more than one gets a PodDisruptionBudget keeping one. */
  readonly replicas: number;
  /**
   * Whether each replica spans nodes (a LeaderWorkerSet): the router then sends to leaders only.
   * @default false
   */
  readonly replicasSpanNodes?: boolean;
  /** Seconds the router waits for a new replica to turn healthy: the model's startup budget. */
  readonly workerStartupSeconds: number;
  /**
   * Extra path prefix the router's gateway accepts and strips (Ingress exposure).
   * @default - none: the gateway serves `/v1` only
   */
  readonly gatewayPathPrefix?: string;
  /**
   * Namespace whose Prometheus may scrape the router's metrics port.
   * @default - none: no scrape is admitted
   */
  readonly monitoringNamespace?: string;
}

/**
 * The router in front of one model's replicas (vllm-project/router): a Deployment of router pods,
 * each with the same API gateway sidecar as a vLLM pod (the router's admin endpoints such as
 * `/add_worker` are unauthenticated, so only `/v1` and `/health` reach it), a Role that can only
 * read the namespace's pods, its NetworkPolicies and a PodDisruptionBudget. The model's Service
 * selects the router pods (`podLabels`).
 */
export class ModelRouter extends Construct {
  /** Labels of the router pods: the model's Service selects on them. */
  readonly podLabels: Record<string, string>;
  /** Name of the router's Deployment, ServiceAccount, Role and policies. */
  readonly resourceName: string;

  constructor(scope: Construct, id: string, props: ModelRouterProps) {
    super(scope, id);
    const { namespace, servedName } = props;
    this.resourceName = routerResourceName(servedName);
    this.podLabels = routerPodLabels(servedName);
    const name = this.resourceName;
    const labels = this.podLabels;
    const replicaPods = routedPodSelector(servedName, props.replicasSpanNodes ?? false);

    // The replicas behind one ClusterIP, for what the router does not serve (tokenization).
    const replicas = new ServiceV1(this, "replicas", {
      metadata: { name: `${name}-replicas`, namespace, labels },
      spec: { type: "ClusterIP", selector: replicaPods, port: [{ name: "api", port: GATEWAY_PORT, targetPort: "api" }] },
    });
    const gateway = new ConfigMapV1(this, "gateway-config", {
      metadata: { name: `${name}-gateway`, namespace, labels },
      data: {
        "default.conf": gatewayConfig(props.gatewayPathPrefix ?? "", `http://${replicas.metadata.name}.${namespace}.svc:${GATEWAY_PORT}`),
        "proxy.inc": GATEWAY_PROXY_SETTINGS,
      },
    });

    // Service discovery watches pods: read-only, pods only, this namespace only (Role, not ClusterRole).
    const account = new ServiceAccountV1(this, "service-account", {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    });
    const role = new RoleV1(this, "role", {
      metadata: { name, namespace, labels },
      rule: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
    });
    new RoleBindingV1(this, "role-binding", {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
    });

    const probe = (path: string, port: string) => ({ httpGet: { path, port }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 });
    const securityContext = (uid: number) => {
      const context = restrictedContainer(uid);
      return { ...context, runAsUser: String(context.runAsUser), runAsGroup: String(context.runAsGroup) };
    };
    new DeploymentV1(this, "deployment", {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(props.replicas),
        selector: { matchLabels: labels },
        // CPU pods: a new router starts before an old one stops, so routing never pauses.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "1", maxUnavailable: "0" } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: account.metadata.name,
            // The one token in the namespace, bound to the pod-reading Role above.
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "router",
                image: ROUTER_IMAGE,
                command: ["vllm-router"],
                args: routerArgs(servedName, namespace, props.policy, props.workerStartupSeconds, props.replicasSpanNodes ?? false),
                port: [
                  { name: "http", containerPort: ROUTER_PORT },
                  { name: "metrics", containerPort: ROUTER_METRICS_PORT },
                ],
                resources: {
                  requests: { cpu: cpuQuantity(ROUTER_REQUESTS.cpuMilli), memory: memoryQuantity(ROUTER_REQUESTS.memoryMiB) },
                  limits: { memory: memoryQuantity(ROUTER_MEMORY_LIMIT_MIB) },
                },
                env: [{ name: "HOME", value: "/tmp" }],
                volumeMount: [{ name: "router-tmp", mountPath: "/tmp" }],
                securityContext: securityContext(ROUTER_UID),
                // Routes of the router's public set (src/server.rs @ 00edc4e9: /liveness, /readiness).
                livenessProbe: probe("/liveness", "http"),
                readinessProbe: probe("/readiness", "http"),
              },
              {
                name: "api-gateway",
                image: GATEWAY_IMAGE,
                port: [{ name: "api", containerPort: GATEWAY_PORT }],
                resources: {
                  requests: { cpu: cpuQuantity(GATEWAY_REQUESTS.cpuMilli), memory: memoryQuantity(GATEWAY_REQUESTS.memoryMiB) },
                  limits: { memory: memoryQuantity(GATEWAY_MEMORY_LIMIT_MIB) },
                },
                volumeMount: [
                  { name: "gateway-config", mountPath: "/etc/nginx/conf.d", readOnly: true },
                  { name: GATEWAY_SCRATCH_VOLUME.name, mountPath: GATEWAY_SCRATCH_VOLUME.mountPath },
                ],
                securityContext: securityContext(GATEWAY_UID),
                readinessProbe: probe("/health", "api"),
              },
            ],
            volume: [
              { name: "gateway-config", configMap: { name: gateway.metadata.name } },
              { name: GATEWAY_SCRATCH_VOLUME.name, emptyDir: { sizeLimit: GATEWAY_SCRATCH_VOLUME.sizeLimit } },
              { name: "router-tmp", emptyDir: { sizeLimit: "1Gi" } },
            ],
          },
        },
      },
      waitForRollout: false,
    });

    if (props.replicas > 1) {
      new PodDisruptionBudgetV1(this, "disruption-budget", {
        metadata: { name, namespace, labels },
        spec: { selector: { matchLabels: labels }, maxUnavailable: "1" },
      });
    }

    // Out: the model's replicas on their gateway port, and the API server for discovery.
    new NetworkPolicyV1(this, "egress", {
      metadata: { name: `${name}-egress`, namespace },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: { matchLabels: replicaPods } }], ports: [{ port: String(GATEWAY_PORT), protocol: "TCP" }] },
          API_SERVER_EGRESS,
        ],
      },
    });
    // In, on the replicas' side: the router's requests reach their gateways.
    new NetworkPolicyV1(this, "replicas-ingress", {
      metadata: { name: `${name}-to-replicas`, namespace },
      spec: {
        podSelector: { matchLabels: replicaPods },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: { matchLabels: labels } }], ports: [{ port: String(GATEWAY_PORT), protocol: "TCP" }] }],
      },
    });
    if (props.monitoringNamespace) {
      new NetworkPolicyV1(this, "metrics", {
        metadata: { name: `${name}-metrics`, namespace },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": props.monitoringNamespace } },
                  podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
                },
              ],
              ports: [{ port: String(ROUTER_METRICS_PORT), protocol: "TCP" }],
            },
          ],
        },
      });
    }
  }
}
