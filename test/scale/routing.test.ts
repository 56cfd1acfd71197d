/** The router's flags and names, derived from the model (core/scale/routing.ts). */
import { routerArgs, routerPodLabels, routerResourceName } from "../../core/scale/routing";

describe("the router of a model", () => {
  it("discovers only the leaders of replicas that span nodes, which alone serve the API", () => {
    const args = routerArgs("big-chat", "ai", "round-robin", 900, true);
    const selector = args.slice(args.indexOf("--selector") + 1, args.indexOf("--selector") + 4);
    expect(selector).toEqual([
      "app.kubernetes.io/name=vllm",
      "app.kubernetes.io/instance=aicockpit-big-chat",
      "leaderworkerset.sigs.k8s.io/worker-index=0",
    ]);
    expect(args).toContain("--policy=round_robin");
    expect(args).toContain("--worker-startup-timeout-secs=900");
  });

  it("keeps its names within a label value's 63 characters for the longest served name", () => {
    const longest = "a".repeat(60);
    expect(routerResourceName(longest).length).toBeLessThanOrEqual(63);
    expect(routerResourceName(longest)).toMatch(/-router$/);
    expect(routerPodLabels(longest)["app.kubernetes.io/instance"]).toBe(routerResourceName(longest));
  });
});
