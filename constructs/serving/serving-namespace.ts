import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { denyByDefault, kitNamespaceLabels } from "./network-peers";

export interface ServingNamespaceProps {
  /** Name of the namespace the models run in. */
  readonly name: string;
}

/**
 * The namespace the models run in: Pod Security Admission enforces the restricted standard on
 * every pod in it, and traffic in and out is denied unless a policy admits it (DNS excepted).
 */
export class ServingNamespace extends Construct {
  /** A reference to the namespace's name: using it orders an object after the namespace. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServingNamespaceProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.name, labels: kitNamespaceLabels("restricted") },
    });
    this.name = namespace.metadata.name;
    denyByDefault(this, this.name);
  }
}
