import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsModelExposure } from "../constructs/aws/model-exposure";
import { MonitoringStack } from "../constructs/monitoring/monitoring-stack";
import { ApiExposure, serviceExposure } from "../constructs/serving/api-exposure";
import { ApiKeySecret } from "../constructs/serving/api-key-secret";
import { ModelCache } from "../constructs/serving/model-cache";
import { ServingNamespace } from "../constructs/serving/serving-namespace";
import { VllmServer } from "../constructs/serving/vllm-server";
import { connectToCluster, type ConnectedEnvironment } from "./cluster-connection";
import { apiKeySecretName, modelResourceName, stackName } from "../core/names";
import { addEndpointOutput } from "./endpoint-outputs";

/**
 * Everything one environment deploys into its cluster: the serving namespace, the API key,
 * per model a cache, a vLLM server and its Service, the exposure, and the endpoint outputs.
 */
export class EnvironmentStack extends TerraformStack {
  readonly servers: VllmServer[];

  /** On aws, `environment.awsCluster` is the cluster stack's reference (endpoint, CA, certificate). */
  constructor(scope: Construct, environment: ConnectedEnvironment) {
    super(scope, stackName(environment.name));
    const { config } = environment;
    connectToCluster(this, environment);
    const aws =
      environment.kind === "aws"
        ? new AwsModelExposure(this, "aws-exposure", { target: environment.config.target, certificateArn: environment.awsCluster.certificateArn })
        : undefined;

    const namespace = new ServingNamespace(this, "serving-namespace", { name: config.namespace });
    const apiKey = new ApiKeySecret(this, "api-key", { namespace: namespace.name, apiKey: config.auth.apiKey });
    const image = `${config.image.repository}:${config.image.tag}`;

    this.servers = environment.models.map((model, index) => {
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
        apiKey: { name: "VLLM_API_KEY", secretName: apiKey.secretName, secretKey: apiKey.secretKey },
        huggingFaceToken: config.auth.huggingFaceToken && {
          name: "HF_TOKEN",
          secretName: config.auth.huggingFaceToken.name,
          secretKey: config.auth.huggingFaceToken.key,
        },
        cacheClaimName: cache.claimName,
        service: aws?.service ?? serviceExposure(config.exposure, index),
        gatewayPathPrefix: config.exposure.type === "Ingress" ? `/${name}` : undefined,
      });
      addEndpointOutput(this, {
        environment,
        model,
        service: server.service,
        apiKeySecret: `${config.namespace}/${apiKeySecretName(config.auth.apiKey)}`,
        baseUrl: aws?.baseUrl(model.config.servedName),
      });
      return server;
    });

    new ApiExposure(this, "api-exposure", {
      namespace: namespace.name,
      exposure: aws?.networkPolicyExposure ?? config.exposure,
      services: this.servers.map((s) => s.resourceName),
    });
    aws?.publish(environment.models.map((model, index) => ({ servedName: model.config.servedName, service: this.servers[index].service })));

    // monitoring: the monitoring stack hooks in here.
    if (config.monitoring.enabled) {
      new MonitoringStack(this, "monitoring", {
        config: config.monitoring,
        servingNamespace: namespace.name,
        completionModels: config.models.filter((m) => m.role !== "chat").map((m) => m.servedName),
        gpuPools: config.gpuPools,
      });
    }

    new TerraformOutput(this, "environment", { value: environment.name }).overrideLogicalId("environment");
  }
}
