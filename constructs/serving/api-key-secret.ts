import { Password } from "@cdktf/provider-random/lib/password";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Construct } from "constructs";
import { API_KEY_SECRET_KEY, apiKeySecretName } from "../../core/names";
import type { SecretRef } from "../../core/schema/serving";

/** The entry beside `entry` that holds the key accepted during a rotation (docs/security.md). */
export function nextKeyEntry(entry: string): string {
  return `${entry}-next`;
}

export interface ApiKeySecretProps {
  /** Namespace of the generated Secret: the models' namespace, where vLLM reads it. */
  readonly namespace: string;
  /**
   * A Secret you manage, holding the API key at `key` and the key accepted beside it at
   * `<key>-next` (the same key outside a rotation).
   * @default - none: a random 48-character key in the Secret `aicockpit-api-key`, created at deploy time
   */
  readonly existingSecret?: SecretRef;
}

/**
 * The Secret vLLM reads its API keys from: the key clients use and the next key, accepted beside
 * it while clients switch. A generated key lives only in Terraform state and the Secret; the
 * synthesized configuration and the outputs only ever name the Secret.
 */
export class ApiKeySecret extends Construct {
  /** A reference to the Secret's name: using it orders the Secret before its readers. */
  readonly secretName: string;
  /** The Secret entry that holds the key clients use. */
  readonly secretKey: string;
  /** The Secret entry that holds the key accepted beside it. */
  readonly nextSecretKey: string;

  constructor(scope: Construct, id: string, props: ApiKeySecretProps) {
    super(scope, id);
    if (props.existingSecret) {
      this.secretName = props.existingSecret.name;
      this.secretKey = props.existingSecret.key;
      this.nextSecretKey = nextKeyEntry(props.existingSecret.key);
      return;
    }
    const key = new Password(this, "generated-key", { length: 48, special: false });
    // A new construct id ("rotatable-secret", was "secret"): the Secret is re-created once with
    // both entries, after which Terraform never rewrites them, so a rotation done on the Secret
    // (docs/security.md) is not undone by the next deploy.
    const secret = new SecretV1(this, "rotatable-secret", {
      metadata: { name: apiKeySecretName({ generate: true }), namespace: props.namespace },
      data: { [API_KEY_SECRET_KEY]: key.result, [nextKeyEntry(API_KEY_SECRET_KEY)]: key.result },
      type: "Opaque",
      lifecycle: { ignoreChanges: ["data"] },
    });
    this.secretName = secret.metadata.name;
    this.secretKey = API_KEY_SECRET_KEY;
    this.nextSecretKey = nextKeyEntry(API_KEY_SECRET_KEY);
  }
}
