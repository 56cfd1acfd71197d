import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Password } from "@cdktf/provider-random/lib/password";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { BASE_ENVIRONMENT, SPANNING_REPLICA_ENVIRONMENT, environmentFrom, resourcesOfType, synthStack } from "../helpers/synth";

type Container = {
  name: string;
  args?: string[];
  env: { name: string; value?: string; value_from?: unknown }[];
  resources: { limits: Record<string, string>; requests: Record<string, string> };
};

function deploymentContainers(tf: ReturnType<typeof synthStack>["tf"]): Container[] {
  const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as { spec: { template: { spec: { container: Container[] } } } }[];
  return deployment.spec.template.spec.container;
}

describe("serving stack for one model on an existing cluster", () => {
  const environment = environmentFrom(BASE_ENVIRONMENT);
  const { json, tf } = synthStack(environment);

  it("runs the pinned official vLLM image with arguments from the plan", () => {
    expect(json).toHaveResourceWithProperties(DeploymentV1, {
      metadata: expect.objectContaining({ name: "aicockpit-qwen-coder" }),
    });
    const vllm = deploymentContainers(tf).find((c) => c.name === "vllm")!;
    expect(vllm).toMatchObject({ image: "vllm/vllm-openai:v0.29.0" });
    expect(vllm.args).toEqual(
      expect.arrayContaining([
        "--model=Qwen/Qwen2.5-Coder-7B-Instruct",
        "--served-model-name=qwen-coder",
        "--tensor-parallel-size=1",
        "--pipeline-parallel-size=1",
        "--max-model-len=16384",
        // v0.29.0's defaults, passed explicitly so the server runs the batch the plan sized (L4: below 70 GiB).
        "--gpu-memory-utilization=0.92",
        "--max-num-batched-tokens=2048",
        "--max-num-seqs=256",
        "--enable-prefix-caching",
      ]),
    );
  });

  it("requests GPUs with limits equal to requests and reads the API key from a Secret", () => {
    const vllm = deploymentContainers(tf).find((c) => c.name === "vllm")!;
    expect(vllm.resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(vllm.resources.requests["nvidia.com/gpu"]).toBe("1");
    const secretRef = (name: string) => vllm.env.find((e) => e.name === name);
    expect(secretRef("AICOCKPIT_API_KEY")?.value).toBeUndefined();
    expect(secretRef("AICOCKPIT_API_KEY")?.value_from).toEqual({
      secret_key_ref: { key: "api-key", name: expect.stringContaining("kubernetes_secret_v1.") },
    });
    expect(secretRef("AICOCKPIT_API_KEY_NEXT")?.value_from).toEqual({
      secret_key_ref: { key: "api-key-next", name: expect.stringContaining("kubernetes_secret_v1.") },
    });
    // VLLM_API_KEY holds one key only, and would hide the --api-key list on some releases.
    expect(secretRef("VLLM_API_KEY")).toBeUndefined();
    expect(vllm.args?.slice(-3)).toEqual(["--api-key", "$(AICOCKPIT_API_KEY)", "$(AICOCKPIT_API_KEY_NEXT)"]);
    expect(vllm.env).toEqual(expect.arrayContaining([{ name: "VLLM_NO_USAGE_STATS", value: "1" }]));
  });

  it("mounts the model cache and a memory-backed /dev/shm, schedules on the pool, and probes /health", () => {
    const [deployment] = resourcesOfType(tf, "kubernetes_deployment_v1") as { spec: { template: { spec: Record<string, unknown> } } }[];
    const pod = deployment.spec.template.spec;
    expect(pod.node_selector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-L40S" });
    expect(pod.toleration).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.volume).toEqual(
      expect.arrayContaining([
        { name: "dshm", empty_dir: { medium: "Memory", size_limit: "2Gi" } },
        { name: "model-cache", persistent_volume_claim: { claim_name: expect.stringContaining("kubernetes_persistent_volume_claim_v1.") } },
      ]),
    );
    const vllm = (pod.container as Record<string, { http_get: { path: string }; failure_threshold: number }>[])[0];
    expect(vllm.startup_probe.http_get.path).toBe("/health");
    // The warm-up Job filled the cache: loading, compiling and CUDA graphs only (10 minutes).
    expect(vllm.startup_probe.failure_threshold * 10).toBe(600);
    expect(vllm.readiness_probe.http_get.path).toBe("/health");
    expect(vllm.liveness_probe.http_get.path).toBe("/health");
  });

  it("generates the API key into a Secret, never into the configuration", () => {
    expect(json).toHaveResourceWithProperties(Password, { length: 48, special: false });
    const [secret] = resourcesOfType(tf, "kubernetes_secret_v1") as { data: Record<string, string> }[];
    expect(secret.data["api-key"]).toMatch(/^\$\{random_password\.[\w-]+\.result\}$/);
  });

  it("keeps the cluster closed: default deny, API port only, Service on the gateway port", () => {
    const policies = resourcesOfType(tf, "kubernetes_network_policy_v1") as { metadata: { name: string } }[];
    expect(policies.map((p) => p.metadata.name).filter((n) => n.endsWith("-peers"))).toEqual([]);
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: expect.objectContaining({ name: "default-deny-ingress" }),
      spec: { pod_selector: {}, policy_types: ["Ingress"] },
    });
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: expect.objectContaining({ name: "aicockpit-allow-api" }),
      spec: expect.objectContaining({ ingress: [{ from: [{ namespace_selector: {} }], ports: [{ port: "8080", protocol: "TCP" }] }] }),
    });
    expect(json).toHaveResourceWithProperties(ServiceV1, {
      spec: expect.objectContaining({ type: "ClusterIP", port: [{ name: "api", port: 8000, target_port: "api" }] }),
    });
  });

  it("outputs the endpoint the extension reads, naming the Secret but never holding a key", () => {
    expect(tf.output?.endpoint_qwen_coder.value).toEqual({
      environment: "test",
      served_model_name: "qwen-coder",
      base_url: "http://aicockpit-qwen-coder.coders.svc.cluster.local:8000/v1",
      role: "completion",
      fim_template: "qwen",
      max_model_len: 16384,
      api_key_secret: "coders/aicockpit-api-key",
    });
    expect(JSON.stringify(tf.output)).not.toMatch(/random_password|secret_v1\.[^"]*\.data/);
  });

  it("configures the providers from the kubeconfig and context of the file", () => {
    expect(tf.provider?.kubernetes).toEqual([{ config_path: "/etc/kube/lab.yaml", config_context: "lab" }]);
  });
});

describe("exposure", () => {
  it("routes each model under its own HTTPS path through an Ingress, admitting only the controller", () => {
    const yaml = `${BASE_ENVIRONMENT}
exposure: { type: Ingress, host: ai.example.com, tlsSecret: ai-tls }
`;
    const { json, tf } = synthStack(environmentFrom(yaml));
    expect(json).toHaveResourceWithProperties(IngressV1, {
      spec: expect.objectContaining({
        tls: [{ hosts: ["ai.example.com"], secret_name: "ai-tls" }],
        rule: [expect.objectContaining({ host: "ai.example.com" })],
      }),
    });
    const [ingress] = resourcesOfType(tf, "kubernetes_ingress_v1") as { spec: { rule: { http: { path: { path: string }[] } }[] } }[];
    expect(ingress.spec.rule[0].http.path.map((p) => p.path)).toEqual(["/aicockpit-qwen-coder/v1"]);
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      spec: expect.objectContaining({
        ingress: [
          expect.objectContaining({ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }] }),
        ],
      }),
    });
    expect((tf.output?.endpoint_qwen_coder.value as { base_url: string }).base_url).toBe("https://ai.example.com/aicockpit-qwen-coder/v1");
    const [gateway] = resourcesOfType(tf, "kubernetes_config_map_v1") as { data: Record<string, string> }[];
    expect(gateway.data["default.conf"]).toContain("location /aicockpit-qwen-coder/v1/");
  });

  it("makes a LoadBalancer reachable only from the allow-list and outputs its deploy-time address", () => {
    const yaml = `${BASE_ENVIRONMENT}
exposure: { type: LoadBalancer, allowedCidrs: [10.20.0.0/16] }
`;
    const { json, tf } = synthStack(environmentFrom(yaml));
    expect(json).toHaveResourceWithProperties(ServiceV1, {
      spec: expect.objectContaining({
        type: "LoadBalancer",
        load_balancer_source_ranges: ["10.20.0.0/16"],
        external_traffic_policy: "Local",
      }),
    });
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      spec: expect.objectContaining({ ingress: [expect.objectContaining({ from: [{ ip_block: { cidr: "10.20.0.0/16" } }] })] }),
    });
    expect((tf.output?.endpoint_qwen_coder.value as { base_url: string }).base_url).toMatch(
      /^http:\/\/\$\{coalesce\(kubernetes_service_v1\.[\w-]+\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname, .*\.ip\)\}:8000\/v1$/,
    );
  });
});

describe("a replica spanning nodes", () => {
  const yaml = SPANNING_REPLICA_ENVIRONMENT;
  const { json, tf } = synthStack(environmentFrom(yaml));

  it("becomes a LeaderWorkerSet of two pods joined by Ray", () => {
    expect(resourcesOfType(tf, "kubernetes_deployment_v1")).toEqual([]);
    expect(json).toHaveResourceWithProperties(Manifest, {
      manifest: expect.objectContaining({
        kind: "LeaderWorkerSet",
        spec: expect.objectContaining({ leaderWorkerTemplate: expect.objectContaining({ size: 2 }) }),
      }),
    });
    const [lws] = resourcesOfType(tf, "kubernetes_manifest") as {
      manifest: {
        spec: {
          leaderWorkerTemplate: Record<
            string,
            { spec: { containers: { command: string[]; args?: string[]; resources: { limits: Record<string, string> } }[] } }
          >;
        };
      };
    }[];
    // The start-up itself is tested in test/serving/ray-group-start.test.ts.
    const leader = lws.manifest.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    expect(leader.command[2]).toContain("ray start --head --port=6379");
    expect(leader.args).toEqual(expect.arrayContaining(["python3", "--distributed-executor-backend=ray"]));
    expect(leader.resources.limits["nvidia.com/gpu"]).toBe("4");
    const worker = lws.manifest.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0];
    expect(worker.command[2]).toContain('ray start --address="$LWS_LEADER_ADDRESS:6379" --block');
  });

  it("lets the pods of this model reach each other for Ray and NCCL, and no other pod", () => {
    expect(json).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: expect.objectContaining({ name: "aicockpit-llama-70b-peers" }),
      spec: expect.objectContaining({
        pod_selector: { match_labels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "aicockpit-llama-70b" } },
        ingress: [
          {
            from: [
              { pod_selector: { match_labels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "aicockpit-llama-70b" } } },
            ],
          },
        ],
      }),
    });
  });
});

describe("an existing API key Secret", () => {
  it("is referenced, not created", () => {
    const yaml = `${BASE_ENVIRONMENT}
auth: { apiKey: { existingSecret: { name: team-key, key: token } } }
monitoring: { grafana: { adminPasswordSecret: team-grafana-admin } }  # no generated Secret anywhere
`;
    const { tf } = synthStack(environmentFrom(yaml));
    expect(resourcesOfType(tf, "random_password")).toEqual([]);
    expect(resourcesOfType(tf, "kubernetes_secret_v1")).toEqual([]);
    const vllm = deploymentContainers(tf).find((c) => c.name === "vllm")!;
    expect(vllm.env.find((e) => e.name === "AICOCKPIT_API_KEY")!.value_from).toEqual({
      secret_key_ref: { name: "team-key", key: "token" },
    });
    expect(vllm.env.find((e) => e.name === "AICOCKPIT_API_KEY_NEXT")!.value_from).toEqual({
      secret_key_ref: { name: "team-key", key: "token-next" },
    });
    expect((tf.output?.endpoint_qwen_coder.value as { api_key_secret: string }).api_key_secret).toBe("coders/team-key");
  });
});
