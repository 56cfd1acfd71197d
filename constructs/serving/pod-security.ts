/**
 * What makes the serving pods meet the Kubernetes "restricted" Pod Security Standard
 * (kubernetes.io/docs/concepts/security/pod-security-standards, read 2026-11-26): the users the
 * images run as, the security contexts, and the writable volumes a read-only root needs.
 */
import { HF_CACHE_PATH } from "../../core/vllm-server-spec";

/**
 * vLLM's official image has no USER instruction, so it runs as root unless the pod says
 * otherwise (vllm-project/vllm docker/Dockerfile; PR #40275, 2026-04, adds a non-root target
 * only after the pinned tags). Any UID works once HOME and every cache point at writable
 * volumes: the image's Python and packages are world-readable system paths.
 */
export const VLLM_UID = 1000;

/**
 * nginxinc/nginx-unprivileged creates `nginx` as UID/GID 101 and switches to it; its pid file
 * and temp paths are under /tmp (docker-nginx-unprivileged mainline/alpine-slim/Dockerfile
 * and README, read 2026-11-26).
 */
export const GATEWAY_UID = 101;

/** Where the vLLM container's writable HOME is mounted (an emptyDir). */
export const VLLM_HOME = "/home/vllm";

/**
 * Environment that sends every cache and config write of vLLM and its libraries to a
 * writable volume, so the root filesystem can be read-only. The list follows vLLM's own
 * non-root work (PR #38552's cache variables, 2026-03; PR #40275 relies on a writable HOME).
 * `USER`/`LOGNAME`: torch calls getpass.getuser(), which reads them before the passwd
 * database, where UID 1000 has no entry (kserve/kserve#5666, 2026-06; Python getpass docs).
 */
export const VLLM_WRITABLE_ENV: Readonly<Record<string, string>> = {
  HOME: VLLM_HOME,
  USER: "vllm",
  LOGNAME: "vllm",
  XDG_CACHE_HOME: `${VLLM_HOME}/.cache`,
  XDG_CONFIG_HOME: `${VLLM_HOME}/.config`,
  VLLM_CACHE_ROOT: `${VLLM_HOME}/.cache/vllm`,
  VLLM_CONFIG_ROOT: `${VLLM_HOME}/.config/vllm`,
  TRITON_CACHE_DIR: `${VLLM_HOME}/.triton/cache`,
  TORCHINDUCTOR_CACHE_DIR: "/tmp/torchinductor",
  NUMBA_CACHE_DIR: `${VLLM_HOME}/.cache/numba`,
  OUTLINES_CACHE_DIR: `${VLLM_HOME}/.cache/outlines`,
  TMPDIR: "/tmp",
};

/** The writable volumes of the vLLM container besides the model cache (HF_CACHE_PATH) and /dev/shm. */
export const VLLM_SCRATCH_VOLUMES = [
  /** Compile caches (Triton, torch.compile, FlashInfer JIT) grow to a few GiB. */
  { name: "home", mountPath: VLLM_HOME, sizeLimit: "20Gi" },
  /** Ray's session directory (multi-node), inductor and compiler scratch. */
  { name: "tmp", mountPath: "/tmp", sizeLimit: "10Gi" },
] as const;

/**
 * The gateway's only writable path: nginx-unprivileged's pid file and proxy temp files. Its
 * entrypoint's IPv6 script skips a read-only default.conf ("can not modify … read-only file
 * system?", 10-listen-on-ipv6-by-default.sh), so the configuration mount stays read-only.
 */
export const GATEWAY_SCRATCH_VOLUME = { name: "gateway-tmp", mountPath: "/tmp", sizeLimit: "1Gi" } as const;

/** Re-exported so a reader of this file sees every writable path of the vLLM pod in one place. */
export { HF_CACHE_PATH };

/** A container security context in the Kubernetes API's field names. */
export interface ContainerSecurityContext {
  runAsNonRoot: true;
  runAsUser: number;
  runAsGroup: number;
  allowPrivilegeEscalation: false;
  readOnlyRootFilesystem: boolean;
  capabilities: { drop: ["ALL"] };
  seccompProfile: { type: "RuntimeDefault" };
}

/** The restricted standard for one container running as `uid`, with a read-only root. */
export function restrictedContainer(uid: number): ContainerSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** A pod security context in the Kubernetes API's field names. */
export interface PodSecurityContext {
  runAsNonRoot: true;
  seccompProfile: { type: "RuntimeDefault" };
  fsGroup: number;
  fsGroupChangePolicy: "OnRootMismatch";
}

/**
 * The vLLM pod: its volumes belong to vLLM's group, so a cache first written by a root pod
 * (before this change) becomes writable on the first mount; OnRootMismatch skips the recursive
 * chown of a warm 100 GiB cache on every later start.
 */
export const VLLM_POD_SECURITY: PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
  fsGroup: VLLM_UID,
  fsGroupChangePolicy: "OnRootMismatch",
};
