import { z } from "zod";
import { AWS_GPU_INSTANCES } from "../catalog/aws-instances";
import { GPU_IDS } from "../catalog/gpus";
import { GPU_ROOT_VOLUME_GIB } from "../aws/node-groups";
import { EXPOSURE_TYPES, type ExposureType } from "../enums";
import { apiKeySecretName } from "../names";
import { PINNED_VLLM_TAG } from "../planning/vllm-versions";
import { annotations, dnsLabel, dnsSubdomain, labelValue, qualifiedName } from "./kubernetes-names";
import { acknowledgePublicAccess, cidrList, dnsName, hostAddress } from "./network";

export { dnsLabel } from "./kubernetes-names";

/** Node label of the pools the kit builds on aws; the node group sets it and the vLLM pods select on it. */
export const AWS_POOL_LABEL = "aicockpit.dev/pool";

/** A storage size: a Kubernetes quantity above zero (a volume of size 0 cannot hold anything). */
const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?$/, { error: "expected a Kubernetes quantity such as 100Gi" })
  // Runs after a failed pattern too (zod checks do not stop at the first): only judge what parsed.
  .refine((size) => !/^[\d.]+/.test(size) || Number(/^[\d.]+/.exec(size)![0]) > 0, {
    error: "a volume of size 0 holds nothing; expected a size such as 100Gi",
  });

const toleration = z
  .strictObject({
    key: qualifiedName.meta({ description: "Taint key to tolerate.", examples: ["nvidia.com/gpu"] }),
    operator: z
      .enum(["Equal", "Exists"])
      .default("Equal")
      .meta({ description: "`Equal`: the taint's value must equal `value`; `Exists`: any value." }),
    value: labelValue.optional().meta({ description: "Taint value, with `operator: Equal`.", examples: ["true"] }),
    effect: z
      .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"])
      .optional()
      .meta({
        description: "Taint effect to tolerate. Absent: every effect.",
        examples: ["NoSchedule"],
      }),
  })
  .refine((t) => t.operator !== "Exists" || t.value === undefined, {
    // Kubernetes requires it: "If the operator is Exists, the value should be empty" (core/v1 Toleration).
    path: ["value"],
    error: "operator Exists tolerates any value, so value must be left out; remove value, or use operator: Equal",
  });

/**
 * One GPU pool as the file states it. Which fields it needs depends on the target, so the
 * loader checks its shape and resolves its GPU (core/validation/gpu-pools.ts).
 */
export const gpuPoolSchema = z.strictObject({
  name: dnsLabel.meta({ description: "Pool name, unique in the environment; models name it in `pool`.", examples: ["workstation"] }),
  gpu: z
    .string()
    .optional()
    .meta({
      description:
        "Existing clusters: the GPU model of the pool's nodes, a GPU catalog id (any case). On aws it follows from `instanceType`; setting both is an error.",
      examples: [...GPU_IDS],
    }),
  gpusPerNode: z
    .number()
    .int()
    .min(1)
    .max(16)
    .optional()
    .meta({
      description: "Existing clusters: GPUs per node. On aws it follows from `instanceType`; setting both is an error.",
      examples: [1],
    }),
  instanceType: z
    .string()
    .optional()
    .meta({
      description:
        "aws: EC2 instance type of the pool's node group, from the AWS GPU instance catalog; the GPU type and count follow from it. Refused on `kubernetes` targets.",
      examples: AWS_GPU_INSTANCES.map((instance) => instance.id),
    }),
  nodes: z
    .number()
    .int()
    .min(1)
    .meta({
      description:
        "Nodes in the pool (on aws the node group's desired size). The replicas of every model on the pool must fit its nodes × GPUs per node.",
      examples: [1],
    }),
  minNodes: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({
      description:
        "aws: lower bound of the node group, down to which the cluster autoscaler may remove idle nodes. Only on a pool with an autoscaled model (otherwise nothing scales, and a bound other than `nodes` is refused). Absent: `nodes`.",
      examples: [1],
    }),
  maxNodes: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({
      description:
        "aws: upper bound of the node group, up to which the cluster autoscaler adds nodes when autoscaled replicas wait for GPUs; the models' `maxReplicas` must fit it. Only on a pool with an autoscaled model (otherwise a bound other than `nodes` is refused). Absent: `nodes`.",
      examples: [2],
    }),
  rootVolumeGiB: z
    .number()
    .int()
    .min(50)
    .max(2000)
    .optional()
    .meta({
      description: `aws: encrypted gp3 root volume of each node, in GiB: OS, the vLLM image and its unpacked layers. Absent: ${GPU_ROOT_VOLUME_GIB}.`,
      examples: [200],
    }),
  availabilityZone: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: "expected an availability zone name such as us-east-1a" })
    .optional()
    .meta({
      description:
        "aws: the one AZ of the pool's node group, so a replacement node lands where the model caches (EBS volumes) are; one of `target.availabilityZones`. Absent: the target's first AZ, or every AZ with a shared (`modelCache.accessMode: ReadWriteMany`, EFS) cache, which every node mounts.",
      examples: ["us-east-1b"],
    }),
  nodeAllocatable: z
    .strictObject({
      cpu: z
        .number()
        .positive()
        .meta({ description: "Allocatable CPU cores of one node (`kubectl describe node`, Allocatable: cpu).", examples: [47.5] }),
      memoryGiB: z
        .number()
        .positive()
        .meta({ description: "Allocatable memory of one node in GiB (Allocatable: memory).", examples: [180] }),
    })
    .optional()
    .meta({
      description:
        "Existing clusters: what one node of the pool offers pods. Synth then refuses pods that would never schedule on it. Absent: CPU and memory are not checked. On aws it follows from `instanceType`.",
    }),
  nodeSelector: z
    .record(qualifiedName, labelValue)
    .default({})
    .meta({
      description: `Labels the vLLM pods select on; the NVIDIA GPU feature discovery label is a good choice on-prem. On aws the kit adds \`${AWS_POOL_LABEL}: <name>\`.`,
      examples: [{ "nvidia.com/gpu.product": "NVIDIA-L4" }],
    }),
  tolerations: z
    .array(toleration)
    .default([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }])
    .meta({
      description:
        "Taints of the pool's nodes the vLLM pods tolerate. Default: the `nvidia.com/gpu` NoSchedule taint GPU nodes usually carry.",
    }),
});

/**
 * Image references as the registry grammar has them (distribution/reference, reference.go:
 * `name := [domain '/'] path-component ['/' path-component]*`, lowercase path components,
 * `tag := /[\\w][\\w.-]{0,127}/`, names of at most 255 characters; read 2026-11-26).
 */
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*";
const IMAGE_NAME = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const IMAGE_TAG = /^[\w][\w.-]{0,127}$/;

const imageRepository = z
  .string()
  .max(255)
  .superRefine((repository, ctx) => {
    const lastPart = repository.slice(repository.lastIndexOf("/") + 1);
    const problem = repository.includes("@")
      ? "the repository carries a digest; write the repository alone and the version in image.tag"
      : lastPart.includes(":")
        ? `the repository carries a tag (${lastPart.slice(lastPart.indexOf(":") + 1)}); write the repository alone and put the tag in image.tag`
        : !IMAGE_NAME.test(repository)
          ? "not an image repository such as vllm/vllm-openai or registry.example.com:5000/ml/vllm (lowercase, no tag)"
          : undefined;
    if (problem)
      ctx.addIssue({
        code: "custom",
        message: problem,
        params: { fix: "set image.repository to the repository alone, e.g. vllm/vllm-openai" },
      });
  });

/** Channel names rather than releases: what they point to changes under a running deployment. */
const MOVING_TAG = /^(latest|nightly|main|master|stable|edge|dev|develop|head|canary|beta|alpha|release|current)$/i;

const imageTag = z.string().superRefine((tag, ctx) => {
  if (tag === "latest") {
    ctx.addIssue({
      code: "custom",
      message: `pin the vLLM image to a release tag such as ${PINNED_VLLM_TAG}; \`latest\` changes under a running deployment`,
    });
  } else if (!IMAGE_TAG.test(tag)) {
    ctx.addIssue({
      code: "custom",
      message: `"${tag}" is not an image tag (letters, digits, '_', '.' and '-', at most 128, no spaces)`,
      params: { fix: `write the release tag exactly, such as ${PINNED_VLLM_TAG}` },
    });
  } else if (MOVING_TAG.test(tag) || !/\d/.test(tag)) {
    ctx.addIssue({
      code: "custom",
      message: `"${tag}" names a channel, not a release: the image behind it changes under a running deployment`,
      params: { fix: `pin the vLLM image to a release tag such as ${PINNED_VLLM_TAG}` },
    });
  }
});

export const imageSchema = z.strictObject({
  repository: imageRepository.default("vllm/vllm-openai").meta({
    description: "Repository of the vLLM OpenAI-compatible server image, without a tag or digest.",
  }),
  tag: imageTag.meta({
    description:
      "Image tag, pinned to a release: channels such as `latest` or `nightly` (any tag without a version number) are refused, they change under a running deployment.",
    examples: [PINNED_VLLM_TAG],
  }),
});

/** The `type` of one exposure variant, one of EXPOSURE_TYPES. */
const exposureType = <T extends ExposureType>(type: T) => z.literal(type);

const clusterIp = z.strictObject({
  type: exposureType("ClusterIP").meta({
    description: "In-cluster only: clients reach each model at `http://aicockpit-<model>.<namespace>.svc.cluster.local:8000/v1`.",
  }),
});
const nodePort = z.strictObject({
  type: exposureType("NodePort").meta({ description: "A port on every node: clients reach each model at `http://<host>:<node port>/v1`." }),
  nodePort: z
    .number()
    .int()
    .min(30000)
    .max(32767)
    .optional()
    .meta({
      description: "Node port of the first model; the next models take the following ports. Absent: Kubernetes picks.",
      examples: [30080],
    }),
  host: hostAddress.meta({
    description: "Address clients use to reach a node (a DNS name or an IPv4 address), for the base URL in the outputs.",
    examples: ["gpu-box.lan"],
  }),
  allowedCidrs: cidrList("not an IPv4 CIDR; write CIDRs like 192.168.1.0/24").meta({
    description:
      "Client CIDRs the NetworkPolicy admits to the node port. Plain HTTP: a list reaching beyond private ranges needs `acknowledgePublicAccess`.",
    examples: [["192.168.1.0/24"]],
  }),
  acknowledgePublicAccess,
});
const loadBalancer = z.strictObject({
  type: exposureType("LoadBalancer").meta({
    description: "A cloud load balancer per model (Service type LoadBalancer), plain HTTP on port 8000.",
  }),
  internal: z.boolean().default(true).meta({
    description:
      "`true`: the kit adds the internal-load-balancer annotations of AWS (load balancer controller and in-tree), GKE and AKS, which win over `annotations`; `false`: the AWS controller's internet-facing scheme. Other controllers (MetalLB, k3s) ignore them.",
  }),
  allowedCidrs: cidrList("not an IPv4 CIDR; write CIDRs like 10.0.0.0/8").meta({
    description:
      "Client CIDRs the load balancer (`loadBalancerSourceRanges`) and the NetworkPolicy admit. Plain HTTP: a list reaching beyond private ranges needs `acknowledgePublicAccess`.",
    examples: [["10.0.0.0/8"]],
  }),
  acknowledgePublicAccess,
  annotations: annotations()
    .default({})
    .meta({
      description: "Annotations of each model's Service: your cloud's load balancer settings.",
      examples: [{ "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }],
    }),
});
const ingress = z.strictObject({
  type: exposureType("Ingress").meta({
    description: "An Ingress with TLS: clients reach each model at `https://<host>/aicockpit-<model>/v1`.",
  }),
  host: dnsName("expected a DNS host name such as code-ai.example.com").meta({
    description: "DNS name the Ingress serves.",
    examples: ["code-ai.example.com"],
  }),
  tlsSecret: dnsLabel.meta({
    description: "Existing kubernetes.io/tls Secret in the serving namespace for `host`.",
    examples: ["code-ai-tls"],
  }),
  className: dnsSubdomain("exposure.className").default("nginx").meta({ description: "IngressClass of your ingress controller." }),
  controllerNamespace: dnsLabel.default("ingress-nginx").meta({
    description: "Namespace of the ingress controller, the only source the NetworkPolicy admits.",
  }),
  annotations: annotations()
    .default({})
    .meta({
      description: "Annotations of the Ingress, e.g. your controller's authentication or timeouts.",
      examples: [{ "nginx.ingress.kubernetes.io/proxy-read-timeout": "300" }],
    }),
});
export const exposureSchema = z.discriminatedUnion("type", [clusterIp, nodePort, loadBalancer, ingress], {
  error: `exposure.type must be one of ${EXPOSURE_TYPES.join(", ")}`,
});

const secretRef = z.strictObject({
  name: dnsLabel.meta({ description: "Name of a Secret in the serving namespace.", examples: ["my-secret"] }),
  key: z
    .string()
    .max(253)
    .regex(/^[-._a-zA-Z0-9]+$/, { error: "a Secret key is letters, digits, '-', '_' or '.'" })
    .meta({ description: "Entry of the Secret that holds the value.", examples: ["token"] }),
});

export const authSchema = z.strictObject({
  apiKey: z
    .union([
      z.strictObject({
        generate: z
          .literal(true)
          .meta({ description: `The kit generates a random key into the Secret \`${apiKeySecretName({ generate: true })}\`.` }),
      }),
      z.strictObject({ existingSecret: secretRef.meta({ description: "A Secret you manage; its entry holds the key." }) }),
    ])
    .default({ generate: true })
    .meta({ description: "The key clients send as `Authorization: Bearer …`: generated by the kit, or from a Secret you manage." }),
  huggingFaceToken: secretRef.optional().meta({
    description: "Secret with a Hugging Face token, for gated models (Llama, Codestral). Absent: downloads are anonymous.",
    examples: [{ name: "hf-token", key: "token" }],
  }),
});

export const modelCacheSchema = z.strictObject({
  size: quantity.default("100Gi").meta({ description: "Size of each model's cache volume; it must hold the model's weights." }),
  storageClass: dnsSubdomain("modelCache.storageClass")
    .optional()
    .meta({
      description:
        "Storage class of the cache volumes. Absent: the cluster's default class (on aws the kit's encrypted gp3 class, or its EFS class with `accessMode: ReadWriteMany`).",
      examples: ["fast-ssd"],
    }),
  accessMode: z.enum(["ReadWriteOnce", "ReadWriteMany"]).default("ReadWriteOnce").meta({
    description:
      "`ReadWriteMany` lets replicas on several nodes share one cache; it is required when one replica spans nodes. On an existing cluster it needs `storageClass` naming a class that supports it; on aws, without `storageClass`, the kit builds an encrypted EFS file system and its class (docs/deploy-aws.md), where `ReadWriteOnce` is an EBS volume that attaches to one node.",
  }),
  warmup: z.boolean().default(true).meta({
    description:
      "A Job per model downloads the weights into the cache, verifies them against the Hub's checksums and marks the cache complete before the model's pods start (they start offline and refuse a cache without the mark), so replicas never race a download and the startup probe budgets loading only. `false`: each server downloads on its first start and the probe budgets the download at 50 MB/s. Kubernetes and aws targets (docs/scale-out.md, \"Warmed model caches\").",
  }),
});

/** A pool as the file states it; the loader narrows it per target (core/environment.ts). */
export type GpuPoolConfig = z.infer<typeof gpuPoolSchema>;
export type ExposureConfig = z.infer<typeof exposureSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type SecretRef = z.infer<typeof secretRef>;

// Every exposure type has its variant in exposureSchema (exposureType keeps out any other).
true satisfies ExposureType extends ExposureConfig["type"] ? true : false;
