/**
 * A docker target's outputs name where the key is honestly: the key file on the Docker host
 * (`file:<path>`), which the outputs contract accepts and the operator tools point at.
 */
import { apiKeyFileReference, apiKeyLocation, endpointOutputSchema } from "../../core/contract/outputs";
import { apiKeyHint } from "../../cli/ops/api-key";

describe("api_key_secret of a docker target", () => {
  test("is file:<the key file's absolute path>, accepted by the contract", () => {
    const value = apiKeyFileReference("/etc/aicockpit/api-key");
    expect(value).toBe("file:/etc/aicockpit/api-key");
    expect(endpointOutputSchema.shape.api_key_secret.safeParse(value).success).toBe(true);
    expect(apiKeyLocation(value)).toEqual({ kind: "file", path: "/etc/aicockpit/api-key" });
  });

  test("a Secret is still <namespace>/<name>", () => {
    expect(apiKeyLocation("team/aicockpit-api-key")).toEqual({ kind: "secret", namespace: "team", name: "aicockpit-api-key" });
  });

  test("the doctor's hint reads the file, not a Secret", () => {
    const hint = apiKeyHint(apiKeyFileReference("/srv/keys/ai"));
    expect(hint).toContain('AICOCKPIT_API_KEY="$(cat /srv/keys/ai)"');
    expect(hint).toContain("--api-key-file /srv/keys/ai");
    expect(hint).not.toContain("kubectl");
    expect(apiKeyHint("team/aicockpit-api-key")).toContain("kubectl -n team get secret aicockpit-api-key");
  });
});
