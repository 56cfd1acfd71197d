/**
 * The flags of the synthesized vLLM container, the serving construct's own included, against the
 * release each appeared in (core/vllm-flag-history.ts). Apart from planner-versions.test.ts because
 * it synthesizes a stack, which the mutation run (stryker.config.mjs) has no need to repeat.
 */
import { PINNED_VLLM_TAG } from "../../core/planning/vllm-versions";
import { compareVllmTags, flagHistory } from "../../core/vllm-flag-history";
import { BASE_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack } from "../helpers/synth";

describe("the synthesized vLLM container", () => {
  it("cover every flag of the synthesized vLLM container, the serving construct's own included", () => {
    const { tf } = synthStack(environmentFrom(BASE_ENVIRONMENT));
    type Pod = { spec: { template: { spec: { container: { name: string; args?: string[] }[] } } } };
    const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as Pod[];
    const args = deployment.spec.template.spec.container.find((c) => c.name === "vllm")!.args!;
    const flags = args.filter((arg) => arg.startsWith("--"));
    expect(flags).toContain("--api-key");
    expect(flags.filter((flag) => flagHistory(flag) === undefined)).toEqual([]);
    expect(flags.filter((flag) => compareVllmTags(flagHistory(flag)!.since, PINNED_VLLM_TAG) > 0)).toEqual([]);
  });
});
