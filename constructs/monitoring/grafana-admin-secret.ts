import { Password } from "@cdktf/provider-random/lib/password";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct } from "constructs";
import { GRAFANA_ADMIN_PASSWORD_KEY, GRAFANA_ADMIN_USER_KEY } from "../../monitoring/helm-values";

export interface GrafanaAdminSecretProps {
  /** Namespace of the generated Secret: Grafana's, the monitoring namespace. */
  readonly namespace: string;
  /**
   * An existing Secret with the entries `admin-user` and `admin-password`.
   * @default - none: a random 32-character password in the Secret `grafana-admin`, created at deploy time
   */
  readonly existingSecret?: string;
}

const GENERATED_GRAFANA_SECRET = "grafana-admin";

/**
 * Grafana's admin login. A generated password lives only in Terraform state and the Secret
 * (`kubectl get secret grafana-admin` shows it); the synthesized configuration never holds it.
 */
export class GrafanaAdminSecret extends Construct {
  /** A reference to the Secret's name: using it orders the Secret before Grafana. */
  readonly secretName: string;

  constructor(scope: Construct, id: string, props: GrafanaAdminSecretProps) {
    super(scope, id);
    if (props.existingSecret) {
      this.secretName = props.existingSecret;
      return;
    }
    const password = new Password(this, "password", { length: 32, special: false });
    const secret = new SecretV1(this, "secret", {
      metadata: { name: GENERATED_GRAFANA_SECRET, namespace: props.namespace },
      data: { [GRAFANA_ADMIN_USER_KEY]: "admin", [GRAFANA_ADMIN_PASSWORD_KEY]: password.result },
      type: "Opaque",
    });
    this.secretName = secret.metadata.name;
  }
}
