import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { Construct } from "constructs";
import type { PlannedModel } from "../../core/load-environment";
import { WARMUP_BACKOFF_LIMIT, warmupDeadlineSeconds, warmupProgram, warmupTerraformTimeout } from "../../core/model-cache-warmup";
import { WARMUP_MEMORY_LIMIT_MIB, WARMUP_REQUESTS, cpuQuantity, memoryQuantity } from "../../core/pod-resources";
import { HF_CACHE_PATH } from "../../core/vllm-server-spec";
import { VLLM_HOME, VLLM_POD_SECURITY, VLLM_SCRATCH_VOLUMES, VLLM_UID, VLLM_WRITABLE_ENV, restrictedContainer } from "./pod-security";
import { literalArgument, toProviderContainer, type Placement, type SecretEnv } from "./vllm-pod";

export interface ModelCacheWarmupJobProps {
  /** Namespace of the Job: the model's, where its cache claim is. */
  readonly namespace: string;
  /** Name of the Job; its pods are named after it. At most 63 characters. */
  readonly name: string;
  /** The model whose weights the Job downloads (`spec.hfRepo`); its size sizes the deadline. */
  readonly model: PlannedModel;
  /** The model server's image, pinned: the Job runs its `hf` CLI and python3. */
  readonly image: string;
  /** Labels of the Job's pods; the model-download NetworkPolicy selects them. Never the server's labels. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Labels of the model server's pods: the Job prefers their node, where a ReadWriteOnce cache is attached. */
  readonly serverPodLabels: Readonly<Record<string, string>>;
  /** The model's GPU pool's node selector and tolerations: the cache is provisioned where the server runs. */
  readonly placement: Placement;
  /** PersistentVolumeClaim of the model's cache, mounted read-write at HF_CACHE_PATH. */
  readonly cacheClaimName: string;
  /** The model's ServiceAccount, whose token is not mounted. */
  readonly serviceAccountName: string;
  /**
   * Secret entry with a Hugging Face token, for gated models.
   * @default - none: anonymous downloads
   */
  readonly huggingFaceToken?: SecretEnv;
}

/**
 * A Job that fills a model's cache before its server starts (core/model-cache-warmup.ts): it
 * downloads with the image's `hf` CLI, verifies every file against the Hub's checksums and then
 * writes the completion marker the server's init container checks. `terraform apply` waits for
 * it, so whatever depends on `job` starts after the cache is complete.
 */
export class ModelCacheWarmupJob extends Construct {
  /** The Job: make the server's workload depend on it. */
  readonly job: JobV1;

  constructor(scope: Construct, id: string, props: ModelCacheWarmupJobProps) {
    super(scope, id);
    const program = warmupProgram(props.model);
    const env = {
      ...program.env,
      ...VLLM_WRITABLE_ENV,
      // Xet's own files (shards; its chunk cache is off by default) stay off the model volume,
      // which is sized for the weights: HF_XET_CACHE defaults to $HF_HOME/xet (huggingface_hub
      // docs/source/en/package_reference/environment_variables.md @ v1.27.0, read 2026-11-26).
      HF_XET_CACHE: `${VLLM_HOME}/.cache/huggingface-xet`,
    };
    const container = toProviderContainer({
      name: "warmup",
      image: props.image,
      command: [...program.command],
      env: [
        // The kubelet expands $(NAME) in env values too: a repo id never holds `$` (the schema), and
        // if one did it would stay literal rather than read another variable such as HF_TOKEN.
        ...Object.entries(env).map(([name, value]) => ({ name, value: literalArgument(value) })),
        ...(props.huggingFaceToken
          ? [
              {
                name: props.huggingFaceToken.name,
                valueFrom: { secretKeyRef: { name: props.huggingFaceToken.secretName, key: props.huggingFaceToken.secretKey } },
              },
            ]
          : []),
      ],
      resources: {
        requests: { cpu: cpuQuantity(WARMUP_REQUESTS.cpuMilli), memory: memoryQuantity(WARMUP_REQUESTS.memoryMiB) },
        limits: { memory: memoryQuantity(WARMUP_MEMORY_LIMIT_MIB) },
      },
      volumeMounts: [
        { name: "model-cache", mountPath: HF_CACHE_PATH },
        ...VLLM_SCRATCH_VOLUMES.map(({ name, mountPath }) => ({ name, mountPath })),
      ],
      securityContext: restrictedContainer(VLLM_UID),
    });
    const timeout = warmupTerraformTimeout(props.model);
    this.job = new JobV1(this, "job", {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.podLabels } },
      spec: {
        backoffLimit: WARMUP_BACKOFF_LIMIT,
        activeDeadlineSeconds: warmupDeadlineSeconds(props.model),
        // No ttlSecondsAfterFinished: a deleted Job would be re-created (and its pod re-run) on every apply.
        template: {
          metadata: { labels: { ...props.podLabels } },
          spec: {
            restartPolicy: "Never",
            nodeSelector: props.placement.nodeSelector,
            toleration: props.placement.tolerations,
            affinity: {
              podAffinity: {
                // A model change reruns the Job while the old server runs: a ReadWriteOnce volume is
                // attached to that server's node, so the Job goes there when it has room.
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      labelSelector: [{ matchLabels: { ...props.serverPodLabels } }],
                      topologyKey: "kubernetes.io/hostname",
                    },
                  },
                ],
              },
            },
            container: [container],
            volume: [
              { name: "model-cache", persistentVolumeClaim: { claimName: props.cacheClaimName } },
              ...VLLM_SCRATCH_VOLUMES.map(({ name, sizeLimit }) => ({ name, emptyDir: { sizeLimit } })),
            ],
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: { ...VLLM_POD_SECURITY, fsGroup: String(VLLM_POD_SECURITY.fsGroup) },
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: timeout, update: timeout },
    });
  }
}
