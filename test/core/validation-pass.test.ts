/** The loader's one validation pass: what it narrows per target, and in which order it reports. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { awsCostEstimate } from "../../core/aws/cost";
import { gpuNodeGroupPlans } from "../../core/aws/node-groups";
import { QUANTIZATIONS } from "../../core/enums";
import { parseEnvironment, type Environment } from "../../core/load-environment";
import { awsYaml, issuesOf } from "../aws/fixtures";
import { BASE_ENVIRONMENT } from "../helpers/synth";

const load = (yaml: string): Environment => parseEnvironment("test", "environments/test.yaml", yaml);

describe("an aws environment", () => {
  const environment = load(awsYaml((doc) => (doc.gpuPools[0].instanceType = "G6.12XLARGE")));

  it("comes back as kind aws, each pool carrying its instance type's catalog entry", () => {
    if (environment.kind !== "aws") throw new Error(`expected kind aws, got ${environment.kind}`);
    const [pool] = environment.config.gpuPools;
    expect(pool.instanceType).toMatchObject({ id: "g6.12xlarge", gpu: "L4", gpus: 4, vcpus: 48, memoryGiB: 192 });
    expect(pool).toMatchObject({ gpu: "L4", gpusPerNode: 4 });
    expect(environment.models[0].pool).toBe(pool);
    // The catalog's spelling reaches the node group and the price table, whatever the file's case.
    expect(gpuNodeGroupPlans(environment.config.gpuPools).map((group) => group.instanceType)).toEqual(["g6.12xlarge"]);
    expect(awsCostEstimate(environment.config).unpriced).toEqual([]);
  });

  it("knows where its TLS certificate comes from", () => {
    if (environment.kind !== "aws") throw new Error(`expected kind aws, got ${environment.kind}`);
    expect(environment.config.target.loadBalancer).toMatchObject({ route53ZoneId: "Z0123456789TEST" });
    expect(environment.config.target.loadBalancer.certificateArn).toBeUndefined();
  });
});

describe("an environment on an existing cluster", () => {
  it("comes back as kind kubernetes, its pools' GPU named directly", () => {
    const environment = load(BASE_ENVIRONMENT);
    expect(environment.kind).toBe("kubernetes");
    expect(environment.config.gpuPools).toEqual([expect.objectContaining({ name: "gpu", gpu: "L40S", gpusPerNode: 4, nodes: 2 })]);
    expect(environment.config.gpuPools[0]).not.toHaveProperty("instanceType");
    expect(environment.models[0].gpu.id).toBe("L40S");
  });
});

describe("the order of the pass", () => {
  it("reports the pools once every field has a valid type, since each pool's GPU is found from them", () => {
    const badPoolAndType = awsYaml((doc) => {
      doc.gpuPools[0].instanceType = "g6.3xlarge";
      doc.models[0].tensorParallel = "two";
    });
    expect(issuesOf(badPoolAndType).map((issue) => issue.field)).toEqual(["models[0].tensorParallel"]);
    const badPool = awsYaml((doc) => (doc.gpuPools[0].instanceType = "g6.3xlarge"));
    expect(issuesOf(badPool).map((issue) => issue.field)).toEqual(["gpuPools[0].instanceType"]);
  });

  it("then collects the target's, the planner's, the capacity and the model cache problems, in that order", () => {
    const yaml = awsYaml((doc) => {
      delete doc.target.loadBalancer.route53ZoneId;
      doc.models[0].maxModelLen = 1_000_000;
      doc.models.push({ servedName: "chat", model: "qwen2.5-coder-1.5b-instruct", role: "chat", pool: "l4", replicas: 2 });
    });
    expect(issuesOf(yaml).map((issue) => issue.field)).toEqual([
      "target.loadBalancer.route53ZoneId",
      "models[0].maxModelLen",
      "gpuPools[0].nodes",
      "models[1].replicas",
    ]);
  });
});

describe("npm run plan", () => {
  it("takes the quantizations the schema takes", () => {
    let stderr = "";
    try {
      execFileSync(
        path.resolve(__dirname, "../../node_modules/.bin/tsx"),
        ["cli/plan.ts", "--model", "qwen2.5-coder-7b-instruct", "--gpu", "L4", "--quantization", "int3"],
        {
          cwd: path.resolve(__dirname, "../.."),
          encoding: "utf8",
          stdio: "pipe",
        },
      );
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr).toContain(`--quantization must be one of ${QUANTIZATIONS.join(", ")}`);
  });
});
