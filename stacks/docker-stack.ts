/**
 * A docker environment's one stack: the Docker provider on the target's engine, the networks,
 * the shared Hugging Face cache, one vLLM container per model pinned to its GPUs, the gateway,
 * monitoring, and the same endpoint outputs as on Kubernetes.
 */
import { Container } from "@cdktf/provider-docker/lib/container";
import { Network } from "@cdktf/provider-docker/lib/network";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ENVIRONMENT_OUTPUT_ID, apiKeyFileReference, endpointOutputId, type EndpointOutput } from "../core/contract/outputs";
import { dockerBaseUrl, dockerModelPath } from "../core/docker/endpoint";
import type { DockerEnvironment } from "../core/load-environment";
import { modelResourceName, stackName } from "../core/names";
import { HF_CACHE_PATH } from "../core/vllm-server-spec";
import { DockerGateway } from "../constructs/docker/docker-gateway";
import { DockerModel } from "../constructs/docker/docker-model";
import { DockerMonitoring } from "../constructs/docker/docker-monitoring";
import { VLLM_SCRATCH_VOLUMES, VLLM_UID } from "../constructs/serving/pod-security";
import { configureStateBackend } from "./state-backend";

export class DockerStack extends TerraformStack {
  public constructor(scope: Construct, environment: DockerEnvironment) {
    super(scope, stackName(environment.name));
    const { config } = environment;
    const { target } = config;
    configureStateBackend(this, config.state);
    new DockerProvider(this, "docker", { host: target.host });
    const prefix = `aicockpit-${environment.name}`;
    const modelsNetwork = new Network(this, "models-network", { name: `${prefix}-models`, internal: true });
    const egressNetwork = new Network(this, "egress-network", {
      name: `${prefix}-egress`,
      // Containers on it reach the internet (weights) but not one another (docker bridge driver options).
      options: { "com.docker.network.bridge.enable_icc": "false" },
    });
    const edgeNetwork = new Network(this, "edge-network", { name: `${prefix}-edge` });
    const cacheVolume = new Volume(this, "hf-cache", { name: `${prefix}-hf-cache` });
    const image = `${config.image.repository}:${config.image.tag}`;

    const models = environment.models.map((model, index) => {
      const containerName = modelResourceName(model.config.servedName);
      const scratchVolumes = Object.fromEntries(
        VLLM_SCRATCH_VOLUMES.map(({ name }) => [
          name,
          new Volume(this, `${containerName}-${name}`, { name: `${prefix}-${containerName}-${name}` }),
        ]),
      );
      // New named volumes belong to root; vLLM runs as its own user. A one-shot root container
      // hands them over before vLLM starts (attach: run to completion; mustRun: false).
      const paths = [HF_CACHE_PATH, ...VLLM_SCRATCH_VOLUMES.map(({ mountPath }) => mountPath)];
      const chown = new Container(this, `${containerName}-volume-owner`, {
        name: `${containerName}-volume-owner`,
        image,
        entrypoint: ["chown", `${VLLM_UID}:${VLLM_UID}`, ...paths],
        user: "0:0",
        attach: true,
        mustRun: false,
        networkMode: "none",
        volumes: [
          { volumeName: cacheVolume.name, containerPath: HF_CACHE_PATH },
          ...VLLM_SCRATCH_VOLUMES.map(({ name, mountPath }) => ({ volumeName: scratchVolumes[name].name, containerPath: mountPath })),
        ],
      });
      return new DockerModel(this, containerName, {
        model,
        containerName,
        image,
        gpuIndices: config.gpuIndices[index],
        apiKeyFile: target.apiKeyFile,
        cacheVolume,
        scratchVolumes,
        modelsNetwork,
        egressNetwork,
        dependsOn: [chown],
      });
    });

    new DockerGateway(this, "gateway", {
      containerName: `${prefix}-gateway`,
      routes: environment.models.map((model) => ({
        path: dockerModelPath(model.config.servedName),
        container: modelResourceName(model.config.servedName),
      })),
      bindAddress: target.bindAddress,
      hostPort: target.ports.gateway,
      modelsNetwork,
      edgeNetwork,
    });

    if (config.monitoring.enabled) {
      new DockerMonitoring(this, "monitoring", {
        prefix,
        monitoring: config.monitoring,
        target,
        namespace: config.namespace,
        modelContainers: environment.models.map((model) => modelResourceName(model.config.servedName)),
        completionModels: environment.models.filter((model) => model.config.role !== "chat").map((model) => model.config.servedName),
        modelsNetwork,
        edgeNetwork,
        volumeOwnerImage: image,
      });
    }

    environment.models.forEach((model, index) => {
      const id = endpointOutputId(model.config.servedName);
      new TerraformOutput(this, id, {
        description: `OpenAI-compatible endpoint of ${model.config.servedName} (${environment.name}), on GPU ${config.gpuIndices[index].join(", ")}`,
        value: {
          environment: environment.name,
          served_model_name: model.config.servedName,
          base_url: dockerBaseUrl(target, model.config.servedName),
          role: model.config.role,
          fim_template: model.spec.fimTemplate,
          max_model_len: model.plan.maxModelLen,
          // Where the key is: the host file the containers read, never the key (docs/outputs.md).
          api_key_secret: apiKeyFileReference(target.apiKeyFile),
        } satisfies EndpointOutput,
        dependsOn: [models[index].container],
      }).overrideLogicalId(id);
    });
    new TerraformOutput(this, ENVIRONMENT_OUTPUT_ID, { value: environment.name }).overrideLogicalId(ENVIRONMENT_OUTPUT_ID);
  }
}
