import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsModelExposure } from "../constructs/aws/model-exposure";
import { ClusterMonitoring } from "../constructs/monitoring/cluster-monitoring";
import { ApiExposure } from "../constructs/serving/api-exposure";
import { ApiKeySecret } from "../constructs/serving/api-key-secret";
import { ModelCache } from "../constructs/serving/model-cache";
import { ServingNamespace } from "../constructs/serving/serving-namespace";
import { VllmServer } from "../constructs/serving/vllm-server";
import { connectToCluster, type ConnectedEnvironment } from "./cluster-connection";
import { apiKeySecretName, modelResourceName, stackName } from "../core/names";
import { ENVIRONMENT_OUTPUT_ID } from "../core/contract/outputs";
import { addEndpointOutput } from "./endpoint-outputs";
import { configureStateBackend } from "./state-backend";
import { apiClientSources, apiIngress, gatewayPathPrefix, modelServiceExposure } from "./exposure-props";

/**
 * Everything one environment deploys into its cluster: the serving namespace, the API key,
 * per model a cache, a vLLM server and its Service, the exposure, and the endpoint outputs.
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
            vpcCidr: environment.config.target.vpcCidr,
            certificateArn: environment.awsCluster.certificateArn,
          })
        : undefined;

    const namespace = new ServingNamespace(this, "serving-namespace", { name: config.namespace });
    const apiKey = new ApiKeySecret(this, "api-key", {
      namespace: namespace.name,
      existingSecret: "existingSecret" in config.auth.apiKey ? config.auth.apiKey.existingSecret : undefined,
    });
    const image = `${config.image.repository}:${config.image.tag}`;

    const servers = environment.models.map((model, index) => {
      const name = modelResourceName(model.config.servedName);
      const cache = new ModelCache(this, `${name}-cache`, {
        namespace: namespace.name,
        name: `${name}-cache`,
        size: config.modelCache.size,
        storageClass: config.modelCache.storageClass,
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
        service: aws?.service ?? modelServiceExposure(config.exposure, index),
        gatewayPathPrefix: gatewayPathPrefix(config.exposure, name),
      });
      addEndpointOutput(this, {
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
    });
    aws?.publish(environment.models.map((model, index) => ({ servedName: model.config.servedName, service: servers[index].service })));

    if (config.monitoring.enabled) {
      new ClusterMonitoring(this, "monitoring", {
        config: config.monitoring,
        servingNamespace: namespace.name,
        completionModels: config.models.filter((m) => m.role !== "chat").map((m) => m.servedName),
        gpuPools: config.gpuPools,
      });
    }

    new TerraformOutput(this, ENVIRONMENT_OUTPUT_ID, { value: environment.name }).overrideLogicalId(ENVIRONMENT_OUTPUT_ID);
  }
}
