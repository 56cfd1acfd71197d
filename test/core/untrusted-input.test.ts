/**
 * Every string of an environment is untrusted: none may reach the Terraform JSON able to
 * interpolate, and whatever is accepted is asserted on the synthesized JSON itself.
 */
import { parse, stringify } from "yaml";
import { parseEnvironment } from "../../core/load-environment";
import { formatEnvironmentSummary } from "../../core/summary";
import { MAX_ENVIRONMENT_BYTES } from "../../core/validation/yaml";
import { issuesOf } from "../helpers/environment-issues";
import { synthStack } from "../helpers/synth";

const BASE = `
target: { kind: kubernetes, kubeconfig: /etc/kube/lab.yaml, context: lab }
description: A lab environment.
image: { tag: v0.11.0 }
gpuPools:
  - { name: gpu, gpu: L4, gpusPerNode: 1, nodes: 1, nodeSelector: { nvidia.com/gpu.product: NVIDIA-L4 } }
models:
  - { servedName: coder, model: qwen2.5-coder-7b-instruct, role: both, pool: gpu, maxModelLen: 16384, extraArgs: ["--max-logprobs=8"] }
exposure:
  type: Ingress
  host: code-ai.example.com
  tlsSecret: code-ai-tls
  annotations: { nginx.ingress.kubernetes.io/proxy-read-timeout: "300" }
`;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function variant(change: (doc: Doc) => void): string {
  const doc = parse(BASE) as Doc;
  change(doc);
  return stringify(doc);
}

function synthJson(yaml: string): string {
  return synthStack(parseEnvironment("test", "environments/test.yaml", yaml)).json;
}

/** Where each user string goes: a setter, and the field the refusal must name. */
const STRING_FIELDS: [field: string, set: (doc: Doc, value: string) => void][] = [
  ["target.kubeconfig", (doc, v) => (doc.target.kubeconfig = v)],
  ["target.context", (doc, v) => (doc.target.context = v)],
  ["description", (doc, v) => (doc.description = v)],
  ["models[0].extraArgs[0]", (doc, v) => (doc.models[0].extraArgs = [`--max-logprobs=${v}`])],
  ["models[0].extraArgs[1]", (doc, v) => (doc.models[0].extraArgs = ["--chat-template", v])],
  ["exposure.annotations.example.com/note", (doc, v) => (doc.exposure.annotations["example.com/note"] = v)],
  ["models[0].lora.adapters[0].name", (doc, v) => (doc.models[0].lora = { maxRank: 16, adapters: [{ name: v, source: "org/a" }] })],
  ["models[0].lora.adapters[0].source", (doc, v) => (doc.models[0].lora = { maxRank: 16, adapters: [{ name: "a", source: v }] })],
];

/** Fields whose format admits none of the near misses below: the schema refuses them, naming the field. */
const FORMATTED_FIELDS = new Set(["models[0].lora.adapters[0].name", "models[0].lora.adapters[0].source"]);

const TEMPLATES = ['${file("/etc/passwd")}', "${random_password.api-key.result}", "x%{ if true }y%{ endif }", "$${escaped-looking}"];

describe("Terraform template sequences", () => {
  it.each(STRING_FIELDS.flatMap(([field, set]) => TEMPLATES.map((template) => [field, template, set] as const)))(
    "are refused in %s (%s), naming the field",
    (field, template, set) => {
      const issues = issuesOf(variant((doc) => set(doc, template)));
      expect(issues).toEqual([
        expect.objectContaining({ field, message: expect.stringContaining("which Terraform would evaluate as a template") }),
      ]);
    },
  );

  it("are refused in keys too", () => {
    const issues = issuesOf(variant((doc) => (doc.exposure.annotations["${path.module}"] = "x")));
    expect(issues.map((issue) => [issue.field, issue.message])).toEqual([
      ["exposure.annotations.${path.module}", expect.stringContaining('the key contains "${"')],
    ]);
  });

  // Near misses a file may legitimately hold: each must reach the JSON as written, adding no template.
  const NEAR_MISSES = ["$HOME", "cost: $5 {approx}", "100%", "$$", "%%", "$ {x}", "{$}", "{{ m.content }}", "%}"];
  const templateCount = (json: string) => (json.match(/[$%]\{/g) ?? []).length - (json.match(/(\$\$\{|%%\{)/g) ?? []).length;
  const baseline = templateCount(synthJson(BASE));

  it.each(
    STRING_FIELDS.filter(([field]) => field !== "description" && !FORMATTED_FIELDS.has(field)).flatMap(([field, set]) =>
      NEAR_MISSES.map((text) => [field, text, set] as const),
    ),
  )("in %s, %j is accepted and reaches the JSON verbatim, adding no Terraform template", (field, text, set) => {
    const json = synthJson(variant((doc) => set(doc, text)));
    // vLLM's arguments carry every `$` doubled: the kubelet reduces `$$` to `$`, and expands nothing.
    const written = field.includes("extraArgs") ? text.replaceAll("$", "$$$$") : text;
    expect(json).toContain(JSON.stringify(written).slice(1, -1));
    expect(templateCount(json)).toBe(baseline);
  });
});

describe("near misses in formatted fields", () => {
  it.each(STRING_FIELDS.filter(([field]) => FORMATTED_FIELDS.has(field)))("are refused in %s, naming the field", (field, set) => {
    for (const text of ["$HOME", "a=b", "org/a,b", "{{ m.content }}"]) {
      expect(issuesOf(variant((doc) => set(doc, text))).map((issue) => issue.field)).toEqual([field]);
    }
  });
});

describe("text a terminal or a reviewer would misread", () => {
  it.each([
    ["\u001b[2J", "U+001B"],
    ["lab\u202emoc", "U+202E"],
    ["a\u0000b", "U+0000"],
    ["a\u0085b", "U+0085"],
  ])("%j is refused", (text, code) => {
    expect(issuesOf(variant((doc) => (doc.target.context = text)))[0].message).toContain(code);
  });

  it("line breaks are refused except in annotation values, which hold multi-line controller settings", () => {
    expect(issuesOf(variant((doc) => (doc.description = "one\ntwo")))[0]).toMatchObject({
      field: "description",
      message: expect.stringContaining("line break"),
    });
    const snippet = 'more_set_headers "X-A: 1";\nmore_set_headers "X-B: 2";';
    const json = synthJson(variant((doc) => (doc.exposure.annotations["nginx.ingress.kubernetes.io/configuration-snippet"] = snippet)));
    expect(json).toContain(JSON.stringify(snippet).slice(1, -1));
  });
});

describe("the YAML reader", () => {
  it("refuses a file past its size limit unread", () => {
    const yaml = `${BASE}\n# ${"x".repeat(MAX_ENVIRONMENT_BYTES)}\n`;
    expect(issuesOf(yaml)).toEqual([expect.objectContaining({ field: "", message: expect.stringContaining("more than the 256 KiB") })]);
  });

  it("takes a few aliases (a shared toleration list) but not an alias bomb", () => {
    const withAnchor = `${BASE}\nmodelCache: &cache { size: 60Gi }\n`;
    expect(issuesOf(withAnchor)).toEqual([]);
    const tolerations = BASE.replace(
      "nodeSelector: { nvidia.com/gpu.product: NVIDIA-L4 }",
      "tolerations: &t [{ key: nvidia.com/gpu, operator: Exists }]",
    );
    expect(issuesOf(tolerations)).toEqual([]);
    const bomb = `a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n${BASE}`;
    expect(issuesOf(bomb)[0].message).toContain("YAML aliases expand too much");
  });

  it("reports a value of the wrong type as such, not as a missing field", () => {
    const quoted = issuesOf(variant((doc) => (doc.models[0].maxModelLen = "16384")));
    expect(quoted).toEqual([
      expect.objectContaining({
        field: "models[0].maxModelLen",
        message: 'wrong type: expected a number, got the string "16384"',
      }),
    ]);
    const nothing = issuesOf(variant((doc) => (doc.models[0].maxModelLen = null)));
    expect(nothing[0].message).toBe("wrong type: expected a number, got an empty value (null)");
    const missing = issuesOf(variant((doc) => delete doc.models[0].role));
    expect(missing[0].message).toBe("required field is missing");
  });
});

describe("acknowledged public access", () => {
  it("is synthesized with a warning in the summary that names the place and repeats the reason", () => {
    const environment = parseEnvironment(
      "test",
      "environments/test.yaml",
      variant((doc) => {
        doc.exposure = {
          type: "NodePort",
          host: "gpu-box.example.com",
          allowedCidrs: ["0.0.0.0/0"],
          acknowledgePublicAccess: "demo box on an isolated network, torn down after the event",
        };
      }),
    );
    const summary = formatEnvironmentSummary(environment);
    expect(summary).toContain("warning    public access acknowledged at exposure: exposure.allowedCidrs admit every address");
    expect(summary).toContain('reason given: "demo box on an isolated network, torn down after the event"');
  });
});
