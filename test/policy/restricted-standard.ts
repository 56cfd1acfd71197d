/**
 * A checker for the Kubernetes "restricted" Pod Security Standard, applied to pod specs in the
 * Kubernetes API's camelCase field names (kubernetes.io/docs/concepts/security/pod-security-standards,
 * read 2026-11-26: the baseline controls plus the restricted ones). It returns what violates the
 * standard, so a test can show the violations, not just fail.
 */

type Json = Record<string, unknown>;

/** Volume types the restricted standard allows. */
const ALLOWED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** snake_case → camelCase, recursively: the kubernetes provider's block names to the API's. */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, inner]) => [
      key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      camelCaseKeys(inner),
    ]),
  );
}

/** The provider's singular list blocks (`container`, `volume`) under the API's plural names. */
export function podSpecFromProvider(spec: Json): Json {
  const camel = camelCaseKeys(spec) as Json;
  const { container, initContainer, volume, ...rest } = camel;
  return {
    ...rest,
    containers: ((container as Json[]) ?? []).map(containerFromProvider),
    initContainers: ((initContainer as Json[]) ?? []).map(containerFromProvider),
    volumes: volume ?? [],
  };
}

function containerFromProvider(container: Json): Json {
  const { volumeMount, port, ...rest } = container;
  return { ...rest, volumeMounts: volumeMount, ports: port };
}

const asNumber = (value: unknown) => (typeof value === "string" ? Number(value) : value);

/** Every way `spec` breaks the restricted standard; empty when it meets it. */
export function restrictedViolations(spec: Json): string[] {
  const problems: string[] = [];
  const pod = (spec.securityContext ?? {}) as Json;
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field] === true) problems.push(`${field} is true`);
  for (const volume of (spec.volumes ?? []) as Json[]) {
    const type = Object.keys(volume).find((key) => key !== "name");
    if (!type || !ALLOWED_VOLUME_TYPES.has(type)) problems.push(`volume ${String(volume.name)} is of type ${String(type)}`);
  }
  if (asNumber(pod.runAsUser) === 0) problems.push("the pod runs as UID 0");
  const containers = [...((spec.containers ?? []) as Json[]), ...((spec.initContainers ?? []) as Json[])];
  if (containers.length === 0) problems.push("no containers");
  for (const container of containers) {
    const name = String(container.name);
    const context = (container.securityContext ?? {}) as Json;
    if (context.privileged === true) problems.push(`${name}: privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation is not false`);
    const capabilities = (context.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (!capabilities.drop?.includes("ALL")) problems.push(`${name}: capabilities do not drop ALL`);
    for (const added of capabilities.add ?? []) if (added !== "NET_BIND_SERVICE") problems.push(`${name}: adds capability ${added}`);
    const nonRoot = context.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) problems.push(`${name}: runAsNonRoot is not true`);
    if (asNumber(context.runAsUser ?? pod.runAsUser) === 0) problems.push(`${name}: runs as UID 0`);
    const seccomp = ((context.seccompProfile ?? pod.seccompProfile) as Json | undefined)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${name}: no RuntimeDefault or Localhost seccomp profile`);
    for (const port of (container.ports ?? []) as Json[]) if (port.hostPort !== undefined) problems.push(`${name}: hostPort`);
  }
  return problems;
}
