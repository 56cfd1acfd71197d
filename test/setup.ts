// Registers cdktf's Terraform JSON matchers (toHaveResource, toHaveResourceWithProperties, ...).
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();

// Synth must never phone home, in tests as in the CLI.
process.env.CHECKPOINT_DISABLE = "1";
