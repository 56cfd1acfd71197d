import { modelCacheStorageClass } from "../core/aws/names";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsModelExposure } from "../constructs/aws/model-exposure";
import { ClusterMonitoring } from "../constructs/monitoring/cluster-monitoring";
import { VllmMetricsNetworkPolicy } from "../constructs/monitoring/vllm-metrics-network-policy";
import { ApiExposure } from "../constructs/serving/api-exposure";
import { ApiKeySecret } from "../constructs/serving/api-key-secret";
import { ModelCache } from "../constructs/serving/model-cache";
import { ServingNamespace } from "../constructs/serving/serving-namespace";
import { VllmServer } from "../constructs/serving/vllm-server";
import { ModelAutoscaler } from "../constructs/serving/keda";
import { prometheusServiceUrl } from "../monitoring/helm-values";
import { cacheWarmed } from "../core/model-cache-warmup";
import { connectToCluster, type ConnectedEnvironment } from "./cluster-connection";
import { apiKeySecretName, modelResourceName, stackName } from "../core/names";
import { ENVIRONMENT_OUTPUT_ID } from "../core/contract/outputs";
import { loadBalancerSubnets, networkPlan } from "../core/aws/network-plan";
import { rollouts } from "../core/scale/rollout";
import { addEndpointOutputs } from "./endpoint-outputs";
import { clusterMonitoringProps } from "./monitoring-props";
import { configureStateBackend } from "./state-backend";
import { apiClientSources, apiIngress, gatewayPathPrefix, modelServiceExposure } from "./exposure-props";

/**
 * Everything one environment deploys into its cluster: the serving namespace, the API key,
 * per model a cache, a vLLM server and its Service, the exposure, and the endpoint outputs; on
 * an existing cluster also the monitoring charts (on aws the cluster-services stack has them).
 */
export class EnvironmentStack extends TerraformStack {
  /** On aws, `environment.awsCluster` is the cluster stack's reference (endpoint, CA, certificate). */
  constructor(scope: Construct, environment: ConnectedEnvironment) {
    super(scope, stackName(environment.name));
    const { config } = environment;
    configureStateBackend(this, config.state);
    connectToCluster(this, environment);
    const aws =
      environment.kind === "aws"
        ? new AwsModelExposure(this, "aws-exposure", {
            loadBalancer: environment.config.target.loadBalancer,
            loadBalancerSubnets: {
              ids: environment.awsCluster.loadBalancerSubnetIds,
              cidrs: loadBalancerSubnets(networkPlan(environment.config.target).subnets, environment.config.target.loadBalancer.scheme),
            },
            certificateArn: environment.awsCluster.certificateArn,
          })
        : undefined;

    const namespace = new ServingNamespace(this, "serving-namespace", { name: config.namespace });
    const apiKey = new ApiKeySecret(this, "api-key", {
      namespace: namespace.name,
      existingSecret: "existingSecret" in config.auth.apiKey ? config.auth.apiKey.existingSecret : undefined,
    });
    const image = `${config.image.repository}:${config.image.tag}`;

    const modelRollouts = rollouts(environment.models, config.modelCache.accessMode);
    const servers = environment.models.map((model, index) => {
      const name = modelResourceName(model.config.servedName);
      const cache = new ModelCache(this, `${name}-cache`, {
        namespace: namespace.name,
        name: `${name}-cache`,
        size: config.modelCache.size,
        storageClass: modelCacheStorageClass(config),
        accessMode: config.modelCache.accessMode,
      });
      const server = new VllmServer(this, name, {
        namespace: namespace.name,
        model,
        image,
        apiKeys: { secretName: apiKey.secretName, currentKey: apiKey.secretKey, nextKey: apiKey.nextSecretKey },
        huggingFaceToken: config.auth.huggingFaceToken && {
          name: "HF_TOKEN",
          secretName: config.auth.huggingFaceToken.name,
          secretKey: config.auth.huggingFaceToken.key,
        },
        cacheClaimName: cache.claimName,
        warmCache: config.modelCache.warmup,
        service: aws?.service ?? modelServiceExposure(config.exposure, index),
        gatewayPathPrefix: gatewayPathPrefix(config.exposure, name),
        monitoringNamespace: config.monitoring.enabled ? config.monitoring.namespace : undefined,
        rollout: modelRollouts[index],
        spreadReplicas: config.modelCache.accessMode === "ReadWriteMany",
      });
      if (model.config.autoscaling) {
        new ModelAutoscaler(this, `${name}-autoscaler`, {
          model,
          namespace: namespace.name,
          prometheusUrl: prometheusServiceUrl(config.monitoring.namespace),
          cacheWarmed: cacheWarmed(config),
        });
      }
      addEndpointOutputs(this, {
        environment,
        model,
        modelIndex: index,
        service: server.service,
        apiKeySecret: `${config.namespace}/${apiKeySecretName(config.auth.apiKey)}`,
        baseUrl: aws?.baseUrl(model.config.servedName),
      });
      return server;
    });

    new ApiExposure(this, "api-exposure", {
      namespace: namespace.name,
      allowedSources: aws?.apiClientSources ?? apiClientSources(config.exposure),
      ingress: apiIngress(
        config.exposure,
        servers.map((server) => server.resourceName),
      ),
      routers: servers.some((server) => server.router !== undefined),
    });
    aws?.publish(environment.models.map((model, index) => ({ servedName: model.config.servedName, service: servers[index].service })));

    if (config.monitoring.enabled) {
      const monitoring =
        environment.kind === "kubernetes"
          ? new ClusterMonitoring(this, "monitoring", clusterMonitoringProps(environment, namespace.name))
          : undefined;
      // Under the monitoring construct where this stack has one: the policy keeps its address in existing state.
      new VllmMetricsNetworkPolicy(monitoring ?? this, "vllm-metrics-policy", {
        servingNamespace: namespace.name,
        monitoringNamespace: config.monitoring.namespace,
      });
    }

    new TerraformOutput(this, ENVIRONMENT_OUTPUT_ID, { value: environment.name }).overrideLogicalId(ENVIRONMENT_OUTPUT_ID);
  }
}
