/**
 * NetworkPolicy building blocks shared by the serving and monitoring namespaces, in the
 * kubernetes provider's block shapes. Every kit namespace denies all ingress and egress by
 * default; these are the allows that exist beside the deny, each named for what it admits.
 */
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecEgressTo,
} from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { Construct } from "constructs";

/** Labels of Pod Security Admission that enforce a level, and report (audit, warn) the same level. */
export function podSecurityLabels(level: "restricted" | "baseline" | "privileged"): Record<string, string> {
  // kubernetes.io/docs/concepts/security/pod-security-admission ("Pod Security Admission labels
  // for namespaces"), read 2026-11-26. No `-version` label: the cluster's own version applies.
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}

/** Labels of every namespace the kit creates: the kit's part-of label and the Pod Security level. */
export function kitNamespaceLabels(level: "restricted" | "baseline" | "privileged"): Record<string, string> {
  return { "app.kubernetes.io/part-of": "aicockpit", ...podSecurityLabels(level) };
}

/**
 * The cluster DNS: CoreDNS (or kube-dns) pods in kube-system carry `k8s-app: kube-dns` on
 * kubeadm, EKS, GKE, AKS and k3s (kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution,
 * read 2026-11-26). Policies apply after the Service's DNAT, so the pods are the peer, not the ClusterIP.
 */
export const KUBE_DNS_EGRESS: NetworkPolicyV1SpecEgress = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { port: "53", protocol: "UDP" },
    { port: "53", protocol: "TCP" },
  ],
};

/**
 * Private, shared and link-local IPv4 ranges: the cluster's own networks, and 169.254.0.0/16,
 * the cloud metadata endpoints that hand out node credentials. An allow "to the Internet"
 * excludes them, so it never doubles as a path into the cluster or its cloud account.
 */
export const NON_PUBLIC_IPV4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8"];

/** Any public IPv4 address. */
export const PUBLIC_INTERNET: NetworkPolicyV1SpecEgressTo = { ipBlock: { cidr: "0.0.0.0/0", except: NON_PUBLIC_IPV4 } };

/**
 * Ports of the Kubernetes API server: 443 (the `kubernetes` Service, EKS/GKE/AKS endpoints) and
 * 6443 (kubeadm, k3s). A NetworkPolicy cannot select the API server (it is no pod, and its
 * address is the cluster's own), so components that need it are allowed these ports to any
 * address; only components that run no user-supplied code get this allow.
 */
export const API_SERVER_EGRESS: NetworkPolicyV1SpecEgress = {
  ports: [
    { port: "443", protocol: "TCP" },
    { port: "6443", protocol: "TCP" },
  ],
};

/** A peer: the pods of one namespace (by its immutable name label), optionally narrowed by labels. */
export function namespacePods(namespace: string, podLabels?: Record<string, string>): NetworkPolicyV1SpecEgressTo {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  };
}

/**
 * Denies all ingress and all egress to every pod of `namespace`, then allows DNS to the cluster
 * DNS: every other flow needs a policy of its own. Created directly in `scope` (ids
 * `default-deny-ingress`, `default-deny-egress`, `allow-dns`), so existing policies keep their
 * Terraform addresses.
 */
export function denyByDefault(scope: Construct, namespace: string): NetworkPolicyV1[] {
  return [
    new NetworkPolicyV1(scope, "default-deny-ingress", {
      metadata: { name: "default-deny-ingress", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    }),
    new NetworkPolicyV1(scope, "default-deny-egress", {
      metadata: { name: "default-deny-egress", namespace },
      spec: { podSelector: {}, policyTypes: ["Egress"] },
    }),
    new NetworkPolicyV1(scope, "allow-dns", {
      metadata: { name: "allow-dns", namespace },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [KUBE_DNS_EGRESS] },
    }),
  ];
}
