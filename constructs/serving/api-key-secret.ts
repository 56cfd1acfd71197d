import { Password } from "@cdktf/provider-random/lib/password";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct } from "constructs";
import { API_KEY_SECRET_KEY, apiKeySecretName } from "../../core/names";
import type { AuthConfig } from "../../core/schema/serving";

export interface ApiKeySecretProps {
  namespace: string;
  apiKey: AuthConfig["apiKey"];
}

/**
 * The Secret vLLM reads its API key from. A generated key lives only in Terraform state and
 * the Secret; the synthesized configuration and the outputs only ever name the Secret.
 */
export class ApiKeySecret extends Construct {
  /** A reference to the Secret's name: using it orders the Secret before its readers. */
  readonly secretName: string;
  readonly secretKey: string;

  constructor(scope: Construct, id: string, props: ApiKeySecretProps) {
    super(scope, id);
    if ("existingSecret" in props.apiKey) {
      this.secretName = props.apiKey.existingSecret.name;
      this.secretKey = props.apiKey.existingSecret.key;
      return;
    }
    const key = new Password(this, "generated-key", { length: 48, special: false });
    const secret = new SecretV1(this, "secret", {
      metadata: { name: apiKeySecretName(props.apiKey), namespace: props.namespace },
      data: { [API_KEY_SECRET_KEY]: key.result },
      type: "Opaque",
    });
    this.secretName = secret.metadata.name;
    this.secretKey = API_KEY_SECRET_KEY;
  }
}
