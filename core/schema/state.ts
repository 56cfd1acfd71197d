/**
 * The `state:` section of an environment file: where Terraform keeps the state of the
 * environment's stacks. The state holds every secret the kit generates (the API key, the
 * Grafana password), so a team keeps it in an encrypted, locked S3 bucket rather than in a file
 * on one laptop.
 */
import { z } from "zod";
import type { EnvironmentConfig } from "./index";

const local = z.strictObject({
  backend: z.literal("local").meta({
    description:
      "A file per stack in the folder you deploy from (`terraform.<stack>.tfstate`), unencrypted. For one person trying the kit; synth warns when the state will hold generated secrets.",
  }),
});

/**
 * Terraform's S3 backend (developer.hashicorp.com/terraform/language/backend/s3, read
 * 2026-11-26): `encrypt` and `kms_key_id` encrypt the state object with a KMS key;
 * `use_lockfile` locks with an S3 lock file (Terraform 1.10 and later); `dynamodb_table` locking
 * is deprecated there and kept for teams that already have a table.
 */
const s3 = z.strictObject({
  backend: z.literal("s3").meta({ description: "An S3 object per stack, encrypted with your KMS key and locked while Terraform runs." }),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "expected an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'" })
    .meta({
      description: "Existing S3 bucket for the state; turn on its versioning so an earlier state can be restored.",
      examples: ["acme-terraform-state"],
    }),
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
      error: "expected a key prefix such as teams/ai: letters, digits, '_', '.', '-' separated by single '/', no leading or trailing '/'",
    })
    .default("aicockpit")
    .meta({ description: "Each stack's state is the object `<keyPrefix>/<stack>.tfstate` (stack names carry the environment's name)." }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "expected an AWS region such as us-east-1" })
    .meta({ description: "AWS region of the bucket (and of the lock table).", examples: ["us-east-1"] }),
  kmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]+$/, {
      error: "expected a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    })
    .meta({
      description: "KMS key that encrypts the state objects; whoever deploys needs kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on it.",
      examples: ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    }),
  dynamodbTable: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: "expected a DynamoDB table name: 3 to 255 letters, digits, '_', '.' or '-'" })
    .optional()
    .meta({
      description:
        "Existing DynamoDB lock table (partition key `LockID`). Absent: an S3 lock file next to the state (`use_lockfile`, Terraform 1.10+), which needs no table.",
      examples: ["terraform-locks"],
    }),
});

export const stateSchema = z.discriminatedUnion("backend", [local, s3], {
  error: "state.backend must be `local` or `s3`",
});

export type StateConfig = z.infer<typeof stateSchema>;
export type S3StateConfig = Extract<StateConfig, { backend: "s3" }>;

/** What the kit generates into Terraform state: the secrets a local state file would hold in plain text. */
export function generatedSecrets(config: Pick<EnvironmentConfig, "auth" | "monitoring">): string[] {
  return [
    ...("generate" in config.auth.apiKey ? ["the generated API key"] : []),
    ...(config.monitoring.enabled && !config.monitoring.grafana.adminPasswordSecret ? ["the generated Grafana password"] : []),
  ];
}

/** The summary's warning for a local state that holds generated secrets; none otherwise. */
export function localStateWarnings(config: Pick<EnvironmentConfig, "auth" | "monitoring" | "state">): string[] {
  if (config.state.backend !== "local") return [];
  const secrets = generatedSecrets(config);
  if (secrets.length === 0) return [];
  return [
    `Terraform state is local: ${secrets.join(" and ")} will sit unencrypted in terraform.<stack>.tfstate where you deploy from; set \`state.backend: s3\` (docs/security.md)`,
  ];
}
