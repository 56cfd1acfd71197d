/**
 * The Kubernetes name formats environment fields end up in ("Object Names and IDs" and "Labels and
 * Selectors", kubernetes.io/docs/concepts/overview/working-with-objects/, read 2026-11-26), checked
 * at synth so a bad name fails here, naming the field, rather than at apply.
 */
import { z } from "zod";

const LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

/** RFC 1123 label: namespaces, Service-like names, pool names. */
export const dnsLabel = z
  .string()
  .max(63)
  .regex(new RegExp(`^${LABEL}$`), { error: "use lowercase letters, digits and '-' (an RFC 1123 name)" });

/** RFC 1123 subdomain: storage classes, IngressClasses, Secrets. */
export const DNS_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

export function dnsSubdomain(what: string) {
  return z
    .string({ error: `${what} must be a string (a Kubernetes name)` })
    .max(253, { error: `${what} must be at most 253 characters long` })
    .regex(DNS_SUBDOMAIN, {
      error: `${what} must be a Kubernetes name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
    });
}

const NAME_PART = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME_PART.test(name);
}

/** A label value: at most 63 characters, empty or starting and ending with a letter or digit. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && NAME_PART.test(value));
}

const QUALIFIED_NAME_ERROR =
  "a Kubernetes key is an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

/** A label or annotation key. */
export const qualifiedName = z.string().refine(isQualifiedName, { error: QUALIFIED_NAME_ERROR });

/** A label value. */
export const labelValue = z.string().refine(isLabelValue, {
  error: "a label value has at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
});

/** Annotations: keys are qualified names, values any string. */
export function annotations() {
  return z.record(qualifiedName, z.string());
}

/**
 * Namespaces every cluster starts with (kubernetes.io "Namespaces", read 2026-11-26), and the
 * `kube-` prefix Kubernetes keeps for its own. The kit creates and labels the namespaces it
 * deploys into, so it must own them.
 */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

export function namespaceProblem(namespace: string): string | undefined {
  if ((RESERVED_NAMESPACES as readonly string[]).includes(namespace) || namespace.startsWith("kube-")) {
    return `${namespace} is a namespace Kubernetes reserves (${RESERVED_NAMESPACES.join(", ")} and every kube- name); the kit creates and labels its namespaces, so use one of its own, e.g. aicockpit`;
  }
  return undefined;
}
