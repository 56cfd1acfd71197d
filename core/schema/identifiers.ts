/**
 * The two identifiers an environment names models by, declared once: a Hugging Face repo id (a
 * model's `hfRepo`, an adapter's `source`) and a served name (a model's `servedName`, an adapter's
 * `name`), which clients send as `model` and which becomes an output id and a Kubernetes label value.
 */
import { z } from "zod";

/**
 * A Hugging Face repo id as the Hub's own client checks it (`validate_repo_id` in
 * huggingface_hub/utils/_validators.py, read 2026-11-26): at most 96 characters of letters, digits,
 * `-`, `_` and `.`, no `--` or `..`, not starting or ending with `-` or `.`, not ending in `.git`.
 * The kit also wants the `org/` part, since it names the model everywhere.
 * @param example the id an error message suggests, such as `org/model`.
 */
export function huggingFaceRepoId(example: string) {
  return z
    .string()
    .max(96, { error: "a Hugging Face repo id has at most 96 characters" })
    .regex(new RegExp(`^${HF_NAME_PART}/${HF_NAME_PART}$`), { error: `expected a Hugging Face repo id such as ${example}` })
    .refine((id) => !id.includes("--") && !id.includes(".."), {
      error: `a Hugging Face repo id cannot contain -- or ..; expected one such as ${example}`,
    })
    .refine((id) => !id.endsWith(".git"), { error: `a Hugging Face repo id does not end in .git; write ${example}` });
}

const HF_NAME_PART = "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?";

/**
 * A served model name. It is also a Kubernetes label value (core/names.ts), which must start and
 * end with a letter or digit, and 60 characters leave room for the kit's name suffixes.
 */
export function servedModelName() {
  return z
    .string()
    .min(1)
    .max(60)
    .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, {
      error: "use lowercase letters, digits, '.', '_' and '-', starting and ending with a letter or digit",
    });
}

/**
 * A revision of a Hugging Face repo, as vLLM's `--revision` and `hf download --revision` take it:
 * "a branch name, a tag name, or a commit id" (ModelConfig.revision in vllm/config/model.py @
 * 455edc022b45, read 2026-11-26). Held to git's ref-name rules the Hub enforces (no `..`, `//`,
 * `@{`, trailing `.lock`), and to characters that need no quoting anywhere they go.
 */
export function huggingFaceRevision() {
  return z
    .string()
    .min(1, { error: "a revision cannot be empty; leave it out for main", abort: true })
    .max(100, { error: "a revision has at most 100 characters", abort: true })
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?$/, {
      error: "a revision is a commit id (40 hexadecimal characters), a tag or a branch: letters, digits, '.', '_', '-' and '/'",
    })
    .refine((revision) => !revision.includes("..") && !revision.includes("//") && !revision.endsWith(".lock"), {
      error: "a revision cannot contain .. or // nor end in .lock (git refuses such names); use the commit id",
    });
}
