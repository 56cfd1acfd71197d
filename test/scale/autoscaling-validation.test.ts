/** A model's `autoscaling` section: the schema's and the loader's refusals, field by field, and what a valid one narrows to. */
import { parseEnvironment } from "../../core/load-environment";
import { sharedClusterIssues } from "../../core/validation/shared-cluster";
import { cooldownSeconds, initialReplicas, peakReplicas } from "../../core/scale/autoscaling";
import { rollouts } from "../../core/scale/rollout";
import { isRouted } from "../../core/scale/routing";
import { formatEnvironmentSummary } from "../../core/summary";
import { startupBudgetSeconds } from "../../core/vllm-server-spec";
import { awsYaml, issueAt, issuesOf } from "../aws/fixtures";
import { autoscaled, yaml, type Doc } from "./autoscaled-environment";

describe("a valid autoscaling section", () => {
  const environment = parseEnvironment("test", "environments/test.yaml", autoscaled({ minReplicas: 2, maxReplicas: 4 }));
  const [model] = environment.models;

  it("fills its defaults and decides the replica range", () => {
    expect(model.config.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 4, queueDepthPerReplica: 4, scaleToZero: false });
    expect(peakReplicas(model.config)).toBe(4);
    expect(initialReplicas(model.config)).toBe(2);
    expect(isRouted(model.config)).toBe(true);
  });

  it("cools down for the model's startup budget unless the file says otherwise", () => {
    expect(cooldownSeconds(model)).toBe(startupBudgetSeconds(model));
    const set = parseEnvironment("test", "environments/test.yaml", autoscaled({ maxReplicas: 2, cooldownSeconds: 120 }));
    expect(cooldownSeconds(set.models[0])).toBe(120);
  });

  it("routes a model whose maximum is above one, even at minReplicas 1", () => {
    expect(isRouted({ replicas: 1, autoscaling: { minReplicas: 1, maxReplicas: 2, queueDepthPerReplica: 4, scaleToZero: false } })).toBe(
      true,
    );
    expect(isRouted({ replicas: 1, autoscaling: undefined })).toBe(false);
  });

  it("says the range in the synth summary", () => {
    expect(formatEnvironmentSummary(environment)).toContain("× 2–4 replicas (KEDA on queue depth) on gpu (L40S)");
  });
});

describe("autoscaling refusals", () => {
  it("minReplicas above maxReplicas", () => {
    const issue = issueAt(autoscaled({ minReplicas: 3, maxReplicas: 2 }), "models[0].autoscaling.minReplicas");
    expect(issue.message).toBe("minReplicas 3 is above maxReplicas 2");
    expect(issue.fix).toBe("lower minReplicas to at most 2, or raise maxReplicas to at least 3");
  });

  it("replicas and autoscaling both set", () => {
    const issue = issueAt(
      autoscaled({ maxReplicas: 2 }, (doc) => (doc.models[0].replicas = 2)),
      "models[0].replicas",
    );
    expect(issue.message).toMatch(/has both replicas and autoscaling; autoscaling replaces replicas/);
    expect(issue.fix).toBe("remove replicas, or remove autoscaling to run a fixed count");
  });

  it("scale to zero on a completion model", () => {
    const issue = issueAt(autoscaled({ maxReplicas: 2, scaleToZero: true }), "models[0].autoscaling.scaleToZero");
    expect(issue.message).toMatch(/serves inline completions \(role "completion"\), which cannot wait/);
    expect(issue.fix).toMatch(/^remove scaleToZero/);
  });

  it("accepts scale to zero on a chat model", () => {
    const chat = autoscaled({ maxReplicas: 2, scaleToZero: true }, (doc) => {
      doc.models[0].role = "chat";
    });
    expect(issuesOf(chat)).toEqual([]);
    const environment = parseEnvironment("test", "environments/test.yaml", chat);
    expect(isRouted(environment.models[0].config)).toBe(true);
  });

  it("a maximum of one replica that never idles: nothing to scale", () => {
    const issue = issueAt(autoscaled({ maxReplicas: 1 }), "models[0].autoscaling.maxReplicas");
    expect(issue.message).toBe("has no effect: with maxReplicas 1 and no scaleToZero, qwen-coder always runs exactly one replica");
    const chat = autoscaled({ maxReplicas: 1, scaleToZero: true }, (doc) => (doc.models[0].role = "chat"));
    expect(issuesOf(chat)).toEqual([]);
  });

  it("autoscaling without monitoring", () => {
    const issue = issueAt(
      autoscaled({ maxReplicas: 2 }, (doc) => (doc.monitoring = { enabled: false })),
      "models[0].autoscaling",
    );
    expect(issue.message).toMatch(/reads the model's queue depth from the environment's Prometheus, and monitoring.enabled is false/);
    expect(issue.fix).toBe("set monitoring.enabled: true, or remove autoscaling");
  });

  it("an environment autoscaling section with no autoscaled model", () => {
    const issue = issueAt(
      yaml((doc) => (doc.autoscaling = { keda: "existing" })),
      "autoscaling",
    );
    expect(issue.message).toMatch(/^has no effect: no model has autoscaling/);
  });

  it("an existing KEDA on aws", () => {
    const issue = issueAt(
      awsYaml((doc) => {
        doc.gpuPools[0].instanceType = "g6.12xlarge";
        doc.models[0].autoscaling = { maxReplicas: 2 };
        doc.autoscaling = { keda: "existing" };
      }),
      "autoscaling.keda",
    );
    expect(issue.message).toBe("KEDA cannot already run on the aws target: the kit builds the cluster");
    expect(issue.fix).toBe("set autoscaling.keda: install (or remove it)");
  });

  it("a KEDA namespace that is the serving namespace, or one Kubernetes reserves", () => {
    const serving = issueAt(
      autoscaled({ maxReplicas: 2 }, (doc) => (doc.autoscaling = { kedaNamespace: "coders" })),
      "autoscaling.kedaNamespace",
    );
    expect(serving.message).toBe("coders is the serving namespace; the kit creates KEDA's namespace with policies of its own");
    const reserved = issueAt(
      autoscaled({ maxReplicas: 2 }, (doc) => (doc.autoscaling = { kedaNamespace: "kube-system" })),
      "autoscaling.kedaNamespace",
    );
    expect(reserved.message).toMatch(/^kube-system is a namespace Kubernetes reserves/);
  });

  it("a second KEDA install on a cluster another environment already installs it on", () => {
    const load = (name: string, namespace: string) =>
      parseEnvironment(
        name,
        `environments/${name}.yaml`,
        autoscaled({ maxReplicas: 2 }, (doc) => (doc.namespace = namespace)),
      );
    const issues = sharedClusterIssues([load("b-team", "team-b"), load("a-team", "team-a")]);
    expect([...issues.keys()]).toEqual(["b-team"]);
    const [issue] = issues.get("b-team")!;
    expect(issue.field).toBe("autoscaling.keda");
    expect(issue.message).toMatch(/^environment a-team installs KEDA on the cluster of context "lab"/);
    expect(issue.fix).toMatch(/^set autoscaling.keda: existing/);
  });
});

describe("a maxReplicas the pool can never hold", () => {
  it("is refused on the model's maxReplicas, with the figures and both fixes", () => {
    // 2 nodes × 4 GPUs = 8; a 4-GPU (TP 4) replica fits twice.
    const issue = issueAt(
      autoscaled({ minReplicas: 1, maxReplicas: 3 }, (doc) => {
        doc.models[0].tensorParallel = 4;
        doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "nfs" };
      }),
      "models[0].autoscaling.maxReplicas",
    );
    expect(issue.message).toBe(
      'at their maxima the models on pool "gpu" need 12 GPUs (qwen-coder 3 × 4), and its 2 node(s) × 4 GPUs hold 8: qwen-coder could never reach 3 replicas',
    );
    expect(issue.fix).toBe("lower maxReplicas to 2, or raise gpuPools[0].nodes to 3");
  });

  it("counts the other models of the pool at their maxima too", () => {
    const issue = issueAt(
      autoscaled({ maxReplicas: 8 }, (doc) => {
        doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "nfs" };
        doc.models.push({
          servedName: "chat",
          model: "qwen2.5-coder-7b-instruct",
          role: "chat",
          pool: "gpu",
          maxModelLen: 16384,
          replicas: 2,
        });
      }),
      "models[0].autoscaling.maxReplicas",
    );
    expect(issue.message).toMatch(/need 10 GPUs \(qwen-coder 8 × 1 \+ chat 2 × 1\), and its 2 node\(s\) × 4 GPUs hold 8/);
    expect(issue.fix).toBe("lower maxReplicas to 6, or raise gpuPools[0].nodes to 3");
  });

  it("on aws, names maxNodes, the node group's bound the cluster autoscaler grows to", () => {
    const yamlText = awsYaml((doc) => {
      doc.gpuPools[0].instanceType = "g6.12xlarge";
      doc.models[0].autoscaling = { maxReplicas: 6 };
    });
    const issue = issueAt(yamlText, "models[0].autoscaling.maxReplicas");
    expect(issue.message).toMatch(/its 1 node\(s\) × 4 GPUs hold 4: coder could never reach 6 replicas/);
    expect(issue.fix).toBe("lower maxReplicas to 4, or raise gpuPools[0].maxNodes to 2 (the most nodes the cluster autoscaler may add)");
  });

  it("on aws, accepts maxNodes above nodes on a pool with an autoscaled model", () => {
    const yamlText = awsYaml((doc) => {
      doc.gpuPools[0].instanceType = "g6.12xlarge";
      doc.gpuPools[0].maxNodes = 2;
      doc.models[0].autoscaling = { maxReplicas: 4 };
    });
    expect(issuesOf(yamlText)).toEqual([]);
  });
});

describe("the rollout of an autoscaled model", () => {
  const load = (autoscaling: Doc) =>
    parseEnvironment(
      "test",
      "environments/test.yaml",
      autoscaled(autoscaling, (doc) => (doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "nfs" })),
    );

  it("surges where the pool has a GPU to spare at maxReplicas", () => {
    const environment = load({ minReplicas: 2, maxReplicas: 4 });
    expect(rollouts(environment.models, "ReadWriteMany")).toEqual([{ kind: "surge" }]);
  });

  it("replaces one replica at a time when maxReplicas fills the pool, and says when that means downtime at minReplicas 1", () => {
    const full = load({ minReplicas: 2, maxReplicas: 8 });
    expect(rollouts(full.models, "ReadWriteMany")).toEqual([{ kind: "one-at-a-time" }]);
    expect(full.warnings.join("\n")).not.toMatch(/replaced one at a time/);
    const single = load({ minReplicas: 1, maxReplicas: 8 });
    expect(single.warnings).toContainEqual(
      expect.stringMatching(/^models\[0\] \(qwen-coder\): replicas are replaced one at a time .* minReplicas: 2 avoids it$/),
    );
  });
});

describe("a replica spanning nodes, autoscaled", () => {
  const spanning = (maxReplicas: number) =>
    autoscaled({ maxReplicas }, (doc) => {
      doc.gpuPools[0].nodes = 4;
      doc.models[0].tensorParallel = 4;
      doc.models[0].pipelineParallel = 2;
      doc.modelCache = { accessMode: "ReadWriteMany", storageClass: "nfs" };
    });

  it("is taken, each replica counted as its whole group of nodes", () => {
    const [model] = parseEnvironment("test", "environments/test.yaml", spanning(2)).models;
    expect(model.plan.nodesPerReplica).toBe(2);
    expect(peakReplicas(model.config)).toBe(2);
  });

  it("is refused when the pool cannot hold every group at the maximum", () => {
    const issue = issuesOf(spanning(3)).find((i) => i.message.includes("at their maxima"));
    expect(issue?.message).toContain("need 24 GPUs");
  });
});
