/**
 * One model on a Docker host: its vLLM container, pinned to its GPU indices, on the private
 * models network (reached by the gateway and Prometheus only) and an egress network for
 * Hugging Face downloads on which containers cannot reach one another.
 */
import { Container } from "@cdktf/provider-docker/lib/container";
import type { Network } from "@cdktf/provider-docker/lib/network";
import type { Volume } from "@cdktf/provider-docker/lib/volume";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DOCKER_API_KEY_PATH, vllmCommandWithKeyFile } from "../../core/docker/api-key";
import type { PlannedModel } from "../../core/load-environment";
import { VLLM_PORT } from "../../core/names";
import { sharedMemoryGiB } from "../../core/pod-resources";
import { HF_CACHE_PATH, STARTUP_PROBE_PERIOD_SECONDS, VLLM_PRIVACY_ENV, startupBudgetSeconds, vllmArgs } from "../../core/vllm-server-spec";
import { VLLM_SCRATCH_VOLUMES, VLLM_UID, VLLM_WRITABLE_ENV } from "../serving/pod-security";
import { HARDENED_CONTAINER, healthcheck } from "./hardening";

export interface DockerModelProps {
  /** The model and its plan: vLLM's flags are derived from it as on Kubernetes (core/vllm-server-spec.ts). */
  readonly model: PlannedModel;
  /** Container name, also its DNS name on the models network. */
  readonly containerName: string;
  /** Image reference with its pinned tag, e.g. vllm/vllm-openai:v0.11.0. */
  readonly image: string;
  /** Host GPU indices the container gets, none shared with another model. */
  readonly gpuIndices: readonly number[];
  /** Absolute path, on the Docker host, of the file holding the API key. */
  readonly apiKeyFile: string;
  /** Named volume holding the Hugging Face cache, shared by every model. */
  readonly cacheVolume: Volume;
  /** Named volumes for vLLM's writable scratch paths (VLLM_SCRATCH_VOLUMES), by their name. */
  readonly scratchVolumes: Readonly<Record<string, Volume>>;
  /** Internal network the gateway and Prometheus reach the model on. */
  readonly modelsNetwork: Network;
  /** Network with a route out (inter-container traffic off) for downloading weights. */
  readonly egressNetwork: Network;
  /**
   * Resources that must exist first (the one-shot container that hands the volumes to vLLM's user).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class DockerModel extends Construct {
  /** The vLLM container. */
  public readonly container: Container;

  public constructor(scope: Construct, id: string, props: DockerModelProps) {
    super(scope, id);
    const { model } = props;
    const env: Record<string, string> = {
      ...VLLM_PRIVACY_ENV,
      ...VLLM_WRITABLE_ENV,
      // GPU enumeration by the NVIDIA runtime: a comma-separated list of indices ("Specialized
      // Configurations with Docker", NVIDIA Container Toolkit docs, read 2026-11-26). The
      // provider's `gpus` field accepts only `all` (docker provider 3.6.2 container#gpus).
      NVIDIA_VISIBLE_DEVICES: props.gpuIndices.join(","),
    };
    this.container = new Container(this, "container", {
      name: props.containerName,
      image: props.image,
      runtime: "nvidia",
      command: vllmCommandWithKeyFile(vllmArgs(model)),
      env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      ...HARDENED_CONTAINER,
      user: `${VLLM_UID}:${VLLM_UID}`,
      // As on Kubernetes: /dev/shm memory-backed, sized by the GPUs (core/pod-resources.ts).
      shmSize: sharedMemoryGiB(model.plan.gpusPerReplica) * 1024,
      volumes: [
        { volumeName: props.cacheVolume.name, containerPath: HF_CACHE_PATH },
        { hostPath: props.apiKeyFile, containerPath: DOCKER_API_KEY_PATH, readOnly: true },
        ...VLLM_SCRATCH_VOLUMES.map(({ name, mountPath }) => ({ volumeName: props.scratchVolumes[name].name, containerPath: mountPath })),
      ],
      networksAdvanced: [{ name: props.modelsNetwork.name }, { name: props.egressNetwork.name }],
      healthcheck: healthcheck(`http://127.0.0.1:${VLLM_PORT}/health`, startupBudgetSeconds(model), STARTUP_PROBE_PERIOD_SECONDS),
      // No published port: vLLM is reached through the gateway only.
      dependsOn: props.dependsOn,
    });
  }
}
