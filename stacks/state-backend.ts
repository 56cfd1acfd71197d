/**
 * Where each stack of an environment keeps its Terraform state, from the environment's `state`
 * section. Every stack of an environment calls `configureStateBackend` once, so all of them
 * (and the cross-stack references between them, which read the producer's state) use the same
 * backend.
 */
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { StateConfig } from "../core/schema/state";

/** `<keyPrefix>/<stack>.tfstate`: one object per stack; stack names carry the environment's name. */
export function stateObjectKey(keyPrefix: string, stackName: string): string {
  return `${keyPrefix}/${stackName}.tfstate`;
}

/** Sets `stack`'s backend: cdktf's local file, or S3 encrypted with the KMS key and locked. */
export function configureStateBackend(stack: TerraformStack, state: StateConfig): void {
  if (state.backend === "local") {
    // cdktf's own default (terraform.<stack>.tfstate in the folder deploy runs from), made explicit.
    new LocalBackend(stack, {});
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateObjectKey(state.keyPrefix, stack.node.id),
    region: state.region,
    encrypt: true,
    kmsKeyId: state.kmsKeyArn,
    ...(state.dynamodbTable ? { dynamodbTable: state.dynamodbTable } : {}),
  });
  // cdktf 0.21's S3BackendConfig has no `useLockfile`; Terraform's S3 backend takes
  // `use_lockfile` (developer.hashicorp.com/terraform/language/backend/s3, read 2026-11-26).
  if (!state.dynamodbTable) backend.addOverride("use_lockfile", true);
}
