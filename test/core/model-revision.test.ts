/** `revision` on a model and on its speculative draft (core/schema/identifiers.ts): what is taken, what is refused and how. */
import { formatEnvironmentSummary } from "../../core/summary";
import { vllmArgs } from "../../core/vllm-server-spec";
import { issuesOf } from "../helpers/environment-issues";
import { BASE_ENVIRONMENT, environmentFrom } from "../helpers/synth";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const withRevision = (revision: string) =>
  BASE_ENVIRONMENT.replace("    role: completion\n", `    revision: ${JSON.stringify(revision)}\n    role: completion\n`);
const withDraftRevision = (revision: string) =>
  `${BASE_ENVIRONMENT}  - servedName: starcoder
    model: starcoder2-15b
    role: completion
    pool: gpu
    maxModelLen: 8192
    speculative: { method: draft, model: starcoder2-3b, revision: ${JSON.stringify(revision)}, numSpeculativeTokens: 3 }
`;

describe("a revision", () => {
  it.each([COMMIT, "main", "v1.0", "refs/pr/7", "release_2026-11"])("takes %s and passes it to vLLM as one argument", (revision) => {
    const [model] = environmentFrom(withRevision(revision)).models;
    expect(model.config.revision).toBe(revision);
    expect(vllmArgs(model).filter((arg) => arg.startsWith("--revision"))).toEqual([`--revision=${revision}`]);
    expect(issuesOf(withDraftRevision(revision))).toEqual([]);
  });

  it.each([
    ["main; curl evil | sh", "a revision is a commit id"],
    ["$(id)", "a revision is a commit id"],
    ["--force", "a revision is a commit id"],
    ["refs/../../etc", "cannot contain .. or //"],
    ["a//b", "cannot contain .. or //"],
    ["branch.lock", "nor end in .lock"],
    ["v1.0/", "a revision is a commit id"],
    ["x".repeat(101), "at most 100 characters"],
  ])("refuses %j on the model and on the draft, naming the field", (revision, says) => {
    const [model] = issuesOf(withRevision(revision));
    expect(model.field).toBe("models[0].revision");
    expect(`${model.message} ${model.fix ?? ""}`).toContain(says);
    const [draft] = issuesOf(withDraftRevision(revision));
    expect(draft.field).toBe("models[1].speculative.revision");
    expect(`${draft.message} ${draft.fix ?? ""}`).toContain(says);
  });

  it("refuses an empty one and a number", () => {
    expect(issuesOf(withRevision("")).map((issue) => issue.field)).toEqual(["models[0].revision"]);
    expect(issuesOf(BASE_ENVIRONMENT.replace("    role: completion\n", "    revision: 42\n    role: completion\n"))[0].field).toBe(
      "models[0].revision",
    );
  });

  it("shows in the plan's summary beside the repo, and is absent there when not pinned", () => {
    expect(formatEnvironmentSummary(environmentFrom(withRevision(COMMIT)))).toContain(
      `qwen-coder — Qwen/Qwen2.5-Coder-7B-Instruct@${COMMIT}, role completion`,
    );
    expect(formatEnvironmentSummary(environmentFrom(BASE_ENVIRONMENT))).toContain(
      "qwen-coder — Qwen/Qwen2.5-Coder-7B-Instruct, role completion",
    );
  });

  it("cannot also come through extraArgs, where the warm-up would not see it", () => {
    const [issue] = issuesOf(
      BASE_ENVIRONMENT.replace("    role: completion\n", '    role: completion\n    extraArgs: ["--revision=v2"]\n'),
    );
    expect(issue.field).toBe("models[0].extraArgs[0]");
    expect(issue.message).toContain("managed by the kit from revision");
  });
});
