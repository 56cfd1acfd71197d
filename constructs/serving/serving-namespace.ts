import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";

export interface ServingNamespaceProps {
  name: string;
}

/** The namespace the models run in, closed to inbound traffic unless a policy admits it. */
export class ServingNamespace extends Construct {
  readonly name: string;
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: ServingNamespaceProps) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.name, labels: { "app.kubernetes.io/part-of": "aicockpit" } },
    });
    this.name = this.namespace.metadata.name;
    new NetworkPolicyV1(this, "default-deny-ingress", {
      metadata: { name: "default-deny-ingress", namespace: this.name },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
  }
}
