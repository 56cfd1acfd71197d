/** Planning an environment: a model given by its config.json, the typical request length, the plan's numbers in the summary. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MODEL_CONFIG_MAX_BYTES, REPOSITORY_ROOT, modelConfigRoot, readModelConfigFile } from "../../core/load-model-config";
import { parseEnvironment } from "../../core/load-environment";
import { formatPlanLines } from "../../core/summary";
import { resolveModelSpec } from "../../core/resolve-model";

const FIXTURES = path.resolve(__dirname, "../fixtures");
/** An environment file in the repository, next to the config.json fixtures' folder. */
const IN_REPO = path.join(FIXTURES, "env.yaml");

const yaml = (model: string, extra = "") => `
target: { kind: kubernetes, context: lab }
image: { tag: v0.29.0 }
gpuPools: [{ name: gpu, gpu: L40S, gpusPerNode: 1, nodes: 1 }]
models: [{ servedName: coder, role: chat, pool: gpu, model: ${model}${extra} }]
`;

function issues(file: string, text: string) {
  try {
    parseEnvironment("env", file, text);
  } catch (error) {
    return (error as { issues: { field: string; message: string; fix: string }[] }).issues;
  }
  throw new Error("expected the environment to be refused");
}

describe("an inline model given by its config.json", () => {
  it("plans a model outside the catalog from the file, relative to the environment file", () => {
    const env = parseEnvironment(
      "env",
      IN_REPO,
      yaml("{ hfRepo: Qwen/Qwen3-14B-AWQ, config: model-configs/qwen3-14b-awq.json }", ", maxModelLen: 40960"),
    );
    const [model] = env.models;
    expect(model.spec).toMatchObject({ id: "Qwen/Qwen3-14B-AWQ", hfRepo: "Qwen/Qwen3-14B-AWQ", parametersB: 14.77, fimTemplate: "none" });
    expect(model.spec.checkpointQuantization).toEqual({ method: "awq", bits: 4 });
    expect(model.plan).toMatchObject({ servedQuantization: "awq", weightGiBPerGpu: 9.44, kvCacheTokens: 186832, maxModelLen: 40960 });
  });

  it("takes the FIM family from the environment, since config.json has none", () => {
    const env = parseEnvironment(
      "env",
      IN_REPO,
      yaml("{ hfRepo: my-org/my-coder, config: model-configs/qwen2.5-7b-instruct.json, fimTemplate: qwen }", ", maxModelLen: 32768"),
    );
    expect(env.models[0].spec.fimTemplate).toBe("qwen");
  });

  it("names the missing config.json field", () => {
    expect(issues(IN_REPO, yaml("{ hfRepo: my-org/m, config: model-configs/missing-intermediate-size.json }"))).toEqual([
      {
        file: IN_REPO,
        field: "models[0].model.config",
        message:
          "model-configs/missing-intermediate-size.json: config.json has no intermediate_size (the MLP width sizes weights and the profiling pass)",
        fix: "use the config.json of my-org/m as published, which states intermediate_size",
      },
    ]);
  });

  it("refuses a file that is not there", () => {
    const [issue] = issues(IN_REPO, yaml("{ hfRepo: my-org/m, config: model-configs/nope.json }"));
    expect(issue.field).toBe("models[0].model.config");
    expect(issue.message).toBe(`no file at model-configs/nope.json (resolved to ${path.join(FIXTURES, "model-configs/nope.json")})`);
    expect(issue.fix).toBe("download the model's config.json and give its path");
  });

  it("refuses a path that is not a config.json", () => {
    const [issue] = issues(IN_REPO, yaml("{ hfRepo: my-org/m, config: model-configs/README.md }"));
    expect(issue).toEqual({
      file: IN_REPO,
      field: "models[0].model.config",
      message: "model-configs/README.md is not a .json file",
      fix: "give the path of the model's config.json",
    });
  });

  describe("outside the repository", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-config-"));
    const outsideEnv = path.join(scratch, "envs", "env.yaml");
    fs.mkdirSync(path.dirname(outsideEnv));
    fs.copyFileSync(path.join(FIXTURES, "model-configs/qwen3-14b.json"), path.join(scratch, "envs", "config.json"));
    fs.copyFileSync(path.join(FIXTURES, "model-configs/qwen3-14b.json"), path.join(scratch, "config.json"));
    fs.writeFileSync(path.join(scratch, "envs", "broken.json"), "{ not json");
    fs.writeFileSync(path.join(scratch, "envs", "huge.json"), `{"pad": "${"x".repeat(MODEL_CONFIG_MAX_BYTES)}"}`);
    fs.mkdirSync(path.join(scratch, "envs", "folder.json"));
    fs.symlinkSync(path.join(scratch, "config.json"), path.join(scratch, "envs", "link.json"));
    afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("lets an environment file in the repository read only inside the repository", () => {
      const [issue] = issues(IN_REPO, yaml(`{ hfRepo: my-org/m, config: ${path.join(scratch, "config.json")} }`));
      expect(issue).toEqual({
        file: IN_REPO,
        field: "models[0].model.config",
        message: `${path.join(scratch, "config.json")} is outside ${REPOSITORY_ROOT}`,
        fix: `copy the config.json into ${REPOSITORY_ROOT} and give a path inside it`,
      });
    });

    it("lets an environment file elsewhere read its own folder, not its parent, nor through a link", () => {
      expect(
        parseEnvironment("env", outsideEnv, yaml("{ hfRepo: Qwen/Qwen3-14B, config: config.json }", ", maxModelLen: 8192")).models[0].spec
          .parametersB,
      ).toBe(14.77);
      expect(issues(outsideEnv, yaml("{ hfRepo: my-org/m, config: ../config.json }"))[0].message).toBe(
        `../config.json is outside ${path.join(scratch, "envs")}`,
      );
      expect(issues(outsideEnv, yaml("{ hfRepo: my-org/m, config: link.json }"))[0].message).toBe(
        `link.json is outside ${path.join(scratch, "envs")}`,
      );
    });

    it("refuses a directory, an oversized file and a file that is not JSON", () => {
      expect(issues(outsideEnv, yaml("{ hfRepo: my-org/m, config: folder.json }"))[0]).toMatchObject({
        message: "folder.json is not a file",
        fix: "give the path of the model's config.json",
      });
      expect(issues(outsideEnv, yaml("{ hfRepo: my-org/m, config: huge.json }"))[0]).toMatchObject({
        message: `huge.json has ${MODEL_CONFIG_MAX_BYTES + 11} bytes; a config.json has a few thousand`,
        fix: `give the model's config.json (at most ${MODEL_CONFIG_MAX_BYTES} bytes)`,
      });
      const [broken] = issues(outsideEnv, yaml("{ hfRepo: my-org/m, config: broken.json }"));
      expect(broken.message).toMatch(/^broken\.json is not valid JSON \(.+\)$/);
      expect(broken.fix).toBe("give the model's config.json as downloaded from its Hugging Face repo");
    });

    it("reads anywhere without a root, as the plan command does for the path it is given", () => {
      expect(readModelConfigFile(path.join(scratch, "config.json"), process.cwd()).ok).toBe(true);
      expect(modelConfigRoot(outsideEnv)).toBe(path.join(scratch, "envs"));
      expect(modelConfigRoot(IN_REPO)).toBe(REPOSITORY_ROOT);
    });
  });
});

describe("an inline model given by its facts", () => {
  it("assumes a wide MLP and a large vocabulary where the facts say nothing, so the plan errs low", () => {
    const spec = resolveModelSpec({
      hfRepo: "my-org/m",
      parametersB: 7,
      layers: 28,
      hiddenSize: 3584,
      attentionHeads: 28,
      kvHeads: 4,
      maxPositions: 32768,
      defaultDtype: "bfloat16",
      fimTemplate: "none",
    })!;
    expect(spec).toMatchObject({ parameters: 7e9, intermediateSize: 6 * 3584, vocabSize: 256000, headDim: 128, tieWordEmbeddings: false });
  });
});

describe("the typical request length", () => {
  it("defaults to 4096 tokens and shows in the summary lines with the longest context that fits", () => {
    const [model] = parseEnvironment("env", "env.yaml", yaml("qwen2.5-coder-7b-instruct", ", maxModelLen: 16384")).models;
    expect(model.config.typicalRequestTokens).toBe(4096);
    expect(formatPlanLines(model.plan)[1]).toBe(
      `max model length 16,384 (fits up to 32,768) · max concurrency ${model.plan.maxConcurrency}× at full length, ` +
        `${model.plan.concurrencyAtTypicalLength}× at 4,096 tokens`,
    );
  });

  it("follows the environment's figure", () => {
    const [model] = parseEnvironment(
      "env",
      "env.yaml",
      yaml("qwen2.5-coder-7b-instruct", ", maxModelLen: 16384, typicalRequestTokens: 2000"),
    ).models;
    expect(model.plan.typicalRequestTokens).toBe(2000);
    expect(model.plan.concurrencyAtTypicalLength).toBe(Math.min(256, Math.floor((model.plan.kvCacheTokens / 2000) * 100) / 100));
  });
});
