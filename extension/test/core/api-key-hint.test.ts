import { apiKeyHint } from "../../src/core/api-key-hint";
import { parseDeploymentOutputs } from "../../src/core/outputs";

const endpoint = (apiKeySecret: string) => ({
  environment: "workstation",
  served_model_name: "coder",
  base_url: "http://127.0.0.1:8080/aicockpit-coder/v1",
  role: "completion",
  fim_template: "qwen",
  max_model_len: 8192,
  api_key_secret: apiKeySecret,
});

describe("the API key prompt names where the key is", () => {
  test("a Kubernetes Secret: the kubectl command that reads it", () => {
    expect(apiKeyHint("team/aicockpit-api-key")).toBe(
      "From the Kubernetes Secret team/aicockpit-api-key: kubectl -n team get secret aicockpit-api-key -o jsonpath='{.data.api-key}' | base64 -d",
    );
  });

  test("a docker target's key file: the file on the Docker host, not a Secret", () => {
    const hint = apiKeyHint("file:/etc/aicockpit/api-key");
    expect(hint).toContain("cat /etc/aicockpit/api-key");
    expect(hint).toContain("Docker host");
    expect(hint).not.toMatch(/kubectl|Secret/);
  });

  test("nothing known: what the server was started with", () => {
    expect(apiKeyHint(undefined)).toContain("--api-key");
  });
});

describe("outputs with a docker key file load", () => {
  test("file:<absolute path> is accepted and kept", () => {
    const result = parseDeploymentOutputs(
      JSON.stringify({ "aicockpit-workstation": { endpoint_coder: endpoint("file:/etc/aicockpit/api-key") } }),
      "o.json",
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.endpoints[0].apiKeySecret).toBe("file:/etc/aicockpit/api-key");
    expect(result.warnings).toEqual([]);
  });

  test.each(["file:relative/key", "file:/", "file:/with space", "docker/"])("%s is refused, naming both forms", (value) => {
    const result = parseDeploymentOutputs(JSON.stringify({ s: { endpoint_coder: endpoint(value) } }), "o.json");
    const problems = result.ok ? result.warnings : result.errors;
    expect(problems.map((p) => p.problem).join("\n")).toMatch(/<namespace>\/<secret name>, or file:<absolute path>/);
  });
});
