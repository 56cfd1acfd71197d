import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";

export interface ServingNamespaceProps {
  /** Name of the namespace the models run in. */
  readonly name: string;
}

/** The namespace the models run in, closed to inbound traffic unless a policy admits it. */
export class ServingNamespace extends Construct {
  /** A reference to the namespace's name: using it orders an object after the namespace. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServingNamespaceProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.name, labels: { "app.kubernetes.io/part-of": "aicockpit" } },
    });
    this.name = namespace.metadata.name;
    new NetworkPolicyV1(this, "default-deny-ingress", {
      metadata: { name: "default-deny-ingress", namespace: this.name },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
  }
}
