// Registers cdktf's Terraform JSON matchers (toHaveResource, toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

// Synth must never phone home, in tests as in the CLI.
process.env.CHECKPOINT_DISABLE = "1";
