/**
 * Synth tests of the least-privilege serving stack: the state backend, the internal load
 * balancer's annotations, the model-download path, a multi-node model's pods and peers, and the
 * API-key rotation wiring, each asserted on the Terraform JSON.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ModelCacheWarmupJob } from "../../constructs/serving/model-cache-warmup-job";
import { VllmServer } from "../../constructs/serving/vllm-server";
import { clusterStackName } from "../../core/aws/names";
import { parseEnvironment } from "../../core/load-environment";
import { stackName } from "../../core/names";
import { localStateWarnings } from "../../core/schema/state";
import { formatEnvironmentSummary } from "../../core/summary";
import { synthesize } from "../../stacks/synthesize";
import { restrictedViolations } from "../policy/restricted-standard";
import {
  BASE_ENVIRONMENT,
  SPANNING_REPLICA_ENVIRONMENT,
  environmentFrom,
  resourcesOfType,
  synthStack,
  type TerraformJson,
} from "../helpers/synth";

type Json = Record<string, unknown>;

const S3_STATE = `
state:
  backend: s3
  bucket: acme-terraform-state
  keyPrefix: teams/ai
  region: eu-west-1
  kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
`;

function backendOf(json: string): Json {
  return (JSON.parse(json) as { terraform: { backend: Json } }).terraform.backend;
}

describe("state backend", () => {
  it("keeps cdktf's local file by default, and warns when that file will hold generated secrets", () => {
    const environment = environmentFrom(BASE_ENVIRONMENT);
    expect(backendOf(synthStack(environment).json)).toEqual({
      local: { path: expect.stringMatching(/terraform\.aicockpit-test\.tfstate$/) },
    });
    expect(formatEnvironmentSummary(environment)).toMatch(
      /warning +Terraform state is local: the generated API key and the generated Grafana password/,
    );
  });

  it("says nothing about local state that holds no generated secret", () => {
    const environment = environmentFrom(`${BASE_ENVIRONMENT}
auth: { apiKey: { existingSecret: { name: team-key, key: token } } }
monitoring: { enabled: false }
`);
    expect(localStateWarnings(environment.config)).toEqual([]);
    expect(formatEnvironmentSummary(environment)).not.toContain("Terraform state is local");
  });

  it("writes an encrypted, KMS-keyed, lock-file-locked S3 backend", () => {
    const environment = environmentFrom(`${BASE_ENVIRONMENT}${S3_STATE}`);
    expect(backendOf(synthStack(environment).json)).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "teams/ai/aicockpit-test.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        use_lockfile: true,
      },
    });
    expect(localStateWarnings(environment.config)).toEqual([]);
  });

  it("locks with a DynamoDB table when one is named, and then writes no lock file", () => {
    const environment = environmentFrom(`${BASE_ENVIRONMENT}${S3_STATE}  dynamodbTable: terraform-locks\n`);
    const backend = backendOf(synthStack(environment).json).s3 as Json;
    expect(backend.dynamodb_table).toBe("terraform-locks");
    expect(backend).not.toHaveProperty("use_lockfile");
  });

  it("gives every stack of an aws environment its own object in the same bucket", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aicockpit-state-"));
    const outdir = path.join(dir, "out");
    try {
      fs.writeFileSync(path.join(dir, "team.yaml"), fs.readFileSync("environments/dev.yaml", "utf8") + S3_STATE);
      const result = synthesize(["team"], outdir, dir);
      expect(result.failed).toEqual([]);
      const keys = [clusterStackName("team"), stackName("team")].map((stack) => {
        const backend = backendOf(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).s3 as Json;
        expect(backend).toMatchObject({ bucket: "acme-terraform-state", encrypt: true, use_lockfile: true });
        return backend.key;
      });
      expect(keys).toEqual(["teams/ai/aicockpit-team-cluster.tfstate", "teams/ai/aicockpit-team.tfstate"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["a bucket name with a slash", "bucket: acme/state", "state.bucket"],
    ["an interpolation in the key prefix", 'keyPrefix: "${file(\\"/etc/passwd\\")}"', "state.keyPrefix"],
    ["a KMS alias instead of a key ARN", "kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:alias/state", "state.kmsKeyArn"],
  ])("refuses %s, naming the field", (_, line, field) => {
    const [key] = line.split(":");
    const yaml = `${BASE_ENVIRONMENT}${S3_STATE.replace(new RegExp(`  ${key}:.*`), `  ${line}`)}`;
    expect(() => parseEnvironment("test", "environments/test.yaml", yaml)).toThrow(new RegExp(field.replace(".", "\\.")));
  });
});

describe("LoadBalancer exposure", () => {
  const service = (yaml: string) =>
    (resourcesOfType(synthStack(environmentFrom(yaml)).tf, "kubernetes_service_v1")[0] as { metadata: { annotations?: Json } }).metadata;

  it("is internal by default: the AWS, GKE and AKS annotations win over the file's own", () => {
    const metadata = service(`${BASE_ENVIRONMENT}
exposure:
  type: LoadBalancer
  allowedCidrs: [10.0.0.0/8]
  annotations: { service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing, example.com/team: ai }
`);
    expect(metadata.annotations).toEqual({
      "example.com/team": "ai",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
      "networking.gke.io/load-balancer-type": "Internal",
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    });
  });

  it("asks the AWS controller for an internet-facing scheme when internal is false (its default is internal)", () => {
    const metadata = service(`${BASE_ENVIRONMENT}
exposure: { type: LoadBalancer, internal: false, allowedCidrs: [203.0.113.0/24], acknowledgePublicAccess: "partner office over plain HTTP, reviewed" }
`);
    expect(metadata.annotations).toEqual({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" });
  });

  it("adds no scheme annotation to other Service types", () => {
    expect(service(BASE_ENVIRONMENT).annotations).toBeUndefined();
  });
});

describe("the API key rotation wiring", () => {
  const { tf } = synthStack(environmentFrom(BASE_ENVIRONMENT));

  it("generates one key into both entries, and never rewrites them after creation", () => {
    const [secret] = resourcesOfType(tf, "kubernetes_secret_v1").filter(
      (s) => (s as { metadata: { name: string } }).metadata.name === "aicockpit-api-key",
    ) as { data: Record<string, string>; lifecycle: { ignore_changes: string[] } }[];
    expect(secret.data["api-key"]).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
    expect(secret.data["api-key-next"]).toBe(secret.data["api-key"]);
    expect(secret.lifecycle.ignore_changes).toEqual(["data"]);
  });

  it("passes the current and the next key to vLLM's --api-key list through Secret-backed variables", () => {
    const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as {
      spec: { template: { spec: { container: { name: string; args: string[]; env: { name: string; value_from?: Json }[] }[] } } };
    }[];
    const vllm = deployment.spec.template.spec.container.find((c) => c.name === "vllm")!;
    const apiKeyAt = vllm.args.indexOf("--api-key");
    expect(vllm.args.slice(apiKeyAt)).toEqual(["--api-key", "$(AICOCKPIT_API_KEY)", "$(AICOCKPIT_API_KEY_NEXT)"]);
    const entries = Object.fromEntries(
      vllm.env
        .filter((e) => e.value_from)
        .map((e) => [e.name, (e.value_from as { secret_key_ref: { key: string; optional?: boolean } }).secret_key_ref]),
    );
    // Required entries: an unresolved $(VAR) would stay in argv literally and become a valid key.
    expect(entries.AICOCKPIT_API_KEY).toEqual({ name: expect.any(String), key: "api-key" });
    expect(entries.AICOCKPIT_API_KEY_NEXT).toEqual({ name: expect.any(String), key: "api-key-next" });
  });
});

describe("a vLLM pod", () => {
  const { tf } = synthStack(environmentFrom(BASE_ENVIRONMENT));
  const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as { spec: { template: { spec: Json } } }[];
  const pod = deployment.spec.template.spec as {
    container: { name: string; env: { name: string; value?: string }[]; volume_mount: { name: string; mount_path: string }[] }[];
  };

  it("sends every write of vLLM and its libraries to a mounted volume", () => {
    const vllm = pod.container.find((c) => c.name === "vllm")!;
    const mounts = vllm.volume_mount.map((m) => m.mount_path);
    expect(mounts).toEqual(expect.arrayContaining(["/cache/huggingface", "/dev/shm", "/home/vllm", "/tmp"]));
    const env = Object.fromEntries(vllm.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    expect(env).toMatchObject({ HOME: "/home/vllm", HF_HOME: "/cache/huggingface", USER: "vllm", TMPDIR: "/tmp" });
    for (const variable of [
      "XDG_CACHE_HOME",
      "VLLM_CACHE_ROOT",
      "TRITON_CACHE_DIR",
      "TORCHINDUCTOR_CACHE_DIR",
      "NUMBA_CACHE_DIR",
      "OUTLINES_CACHE_DIR",
    ]) {
      expect({ variable, underAVolume: mounts.some((mount) => env[variable]?.startsWith(`${mount}/`)) }).toEqual({
        variable,
        underAVolume: true,
      });
    }
  });

  it("may download weights over HTTPS from public addresses only", () => {
    expect(resourcesOfType(tf, "kubernetes_network_policy_v1")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          metadata: { name: "aicockpit-qwen-coder-model-download", namespace: expect.any(String) },
          spec: expect.objectContaining({
            policy_types: ["Egress"],
            egress: [
              {
                to: [{ ip_block: { cidr: "0.0.0.0/0", except: expect.arrayContaining(["10.0.0.0/8", "169.254.0.0/16"]) } }],
                ports: [{ port: "443", protocol: "TCP" }],
              },
            ],
          }),
        }),
      ]),
    );
  });

  it("without the download path has no Internet egress and keeps the Hugging Face libraries offline", () => {
    const environment = environmentFrom(BASE_ENVIRONMENT);
    const json = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", {});
      new VllmServer(scope, "server", {
        namespace: "coders",
        model: environment.models[0],
        image: "vllm/vllm-openai:v0.11.0",
        apiKeys: { secretName: "keys", currentKey: "api-key", nextKey: "api-key-next" },
        cacheClaimName: "cache",
        modelDownload: false,
      });
    });
    const offline = JSON.parse(json) as TerraformJson;
    const names = resourcesOfType(offline, "kubernetes_network_policy_v1").map((p) => (p as { metadata: { name: string } }).metadata.name);
    expect(names).not.toContain("aicockpit-qwen-coder-model-download");
    const [deployment] = resourcesOfType(offline, "kubernetes_deployment_v1") as {
      spec: { template: { spec: { container: { name: string; env: { name: string; value?: string }[] }[] } } };
    }[];
    const vllm = deployment.spec.template.spec.container.find((c) => c.name === "vllm")!;
    expect(vllm.env).toContainEqual({ name: "HF_HUB_OFFLINE", value: "1" });
  });
});

describe("a replica spanning nodes", () => {
  const yaml = SPANNING_REPLICA_ENVIRONMENT;
  const { tf } = synthStack(environmentFrom(yaml));
  const [lws] = resourcesOfType(tf, "kubernetes_manifest") as {
    manifest: { spec: { leaderWorkerTemplate: Record<string, { spec: Json }> } };
  }[];

  it("runs leader and workers under the restricted standard with the model's ServiceAccount and no token", () => {
    for (const template of ["leaderTemplate", "workerTemplate"]) {
      const spec = lws.manifest.spec.leaderWorkerTemplate[template].spec;
      expect({ template, violations: restrictedViolations(spec) }).toEqual({ template, violations: [] });
      expect(spec).toMatchObject({
        automountServiceAccountToken: false,
        serviceAccountName: expect.stringContaining("kubernetes_service_account_v1."),
      });
    }
  });

  it("lets the group's pods reach each other both ways, and no other pod", () => {
    const peers = resourcesOfType(tf, "kubernetes_network_policy_v1").find(
      (p) => (p as { metadata: { name: string } }).metadata.name === "aicockpit-llama-70b-peers",
    ) as { spec: { policy_types: string[]; egress: Json[]; pod_selector: Json } };
    expect(peers.spec.policy_types).toEqual(["Ingress", "Egress"]);
    expect(peers.spec.egress).toEqual([{ to: [{ pod_selector: peers.spec.pod_selector }] }]);
  });
});

describe("Kubernetes $(VAR) expansion in vLLM's arguments", () => {
  interface Container {
    name: string;
    args?: string[];
  }
  const vllmArgsOf = (yaml: string): string[] => {
    const deployment = resourcesOfType(synthStack(environmentFrom(yaml)).tf, "kubernetes_deployment_v1")[0] as {
      spec: { template: { spec: { container: Container[] } } };
    };
    return deployment.spec.template.spec.container.find((c) => c.name === "vllm")?.args ?? [];
  };

  it("escapes a user's $(NAME) so the kubelet cannot put the API key into an argument; the kit's own references expand", () => {
    const args = vllmArgsOf(
      `${BASE_ENVIRONMENT}    extraArgs: ["--max-logprobs=$(AICOCKPIT_API_KEY)", "--chat-template-content-format=a$b"]\n`,
    );
    expect(args).toContain("--max-logprobs=$$(AICOCKPIT_API_KEY)");
    expect(args).toContain("--chat-template-content-format=a$$b");
    // The kit's own key references stay expandable: exactly the two it adds.
    expect(args.filter((arg) => /(^|[^$])\$\(AICOCKPIT_API_KEY(_NEXT)?\)/.test(arg))).toEqual([
      "$(AICOCKPIT_API_KEY)",
      "$(AICOCKPIT_API_KEY_NEXT)",
    ]);
  });
});

describe("the cache warm-up Job's values", () => {
  it("refuses a hostile hfRepo at load, before anything is written", () => {
    for (const hfRepo of ["acme/$(HF_TOKEN)", "acme/x;rm -rf /", 'acme/x" && curl evil', "acme/x`id`", "../../etc/passwd"]) {
      const yaml = BASE_ENVIRONMENT.replace(
        "    model: qwen2.5-coder-7b-instruct\n",
        `    model: { hfRepo: ${JSON.stringify(hfRepo)}, parametersB: 7.6, layers: 28, hiddenSize: 3584, attentionHeads: 28, kvHeads: 4, maxPositions: 32768 }\n`,
      );
      expect({
        hfRepo,
        refused: (() => {
          try {
            environmentFrom(yaml);
            return false;
          } catch {
            return true;
          }
        })(),
      }).toEqual({ hfRepo, refused: true });
    }
  });

  it("escapes $(NAME) in its environment values, so a repo id could never read the token variable", () => {
    const environment = environmentFrom(BASE_ENVIRONMENT);
    const model = { ...environment.models[0], spec: { ...environment.models[0].spec, hfRepo: "acme/$(HF_TOKEN)" } };
    const json = Testing.synthScope((scope) => {
      new KubernetesProvider(scope, "kubernetes", {});
      new ModelCacheWarmupJob(scope, "warmup", {
        namespace: "coders",
        name: "warmup",
        model,
        image: "vllm/vllm-openai:v0.29.0",
        podLabels: { "app.kubernetes.io/name": "model-cache-warmup" },
        serverPodLabels: { "app.kubernetes.io/name": "vllm" },
        placement: environment.models[0].pool,
        cacheClaimName: "cache",
        serviceAccountName: "sa",
        huggingFaceToken: { name: "HF_TOKEN", secretName: "hf", secretKey: "token" },
      });
    });
    const [job] = resourcesOfType(JSON.parse(json) as TerraformJson, "kubernetes_job_v1") as {
      spec: { template: { spec: { container: { env: { name: string; value?: string }[] }[] } } };
    }[];
    const env = job.spec.template.spec.container[0].env;
    expect(env).toContainEqual({ name: "AICOCKPIT_HF_REPO", value: "acme/$$(HF_TOKEN)" });
  });
});
