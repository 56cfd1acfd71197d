/**
 * The generated Alertmanager configuration: validated by the real amtool, then run by a real
 * Alertmanager to prove the severity routes and the endpoint-down inhibition.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import YAML from "yaml";
import {
  ENDPOINT_DOWN_ALERT,
  INHIBITED_CATEGORY,
  UNROUTED_RECEIVER,
  buildAlertmanagerConfig,
  mountedSecretPath,
  secretsToMount,
} from "../../monitoring/alertmanager-config";
import { alertingRules, renderRuleFiles } from "../../monitoring/render-rules";
import { monitoringSchema } from "../../core/schema/monitoring";
import { promtoolTestContext } from "./helpers/rendered-rules";
import { ToolProcess, freePort, makeTempDir, run, waitFor } from "./helpers/tools";

const alertmanagerSection = (input: unknown) => monitoringSchema.parse({ alertmanager: input }).alertmanager;

const allTypes = alertmanagerSection({
  receivers: [
    { name: "oncall", type: "pagerduty", urlSecret: { name: "pagerduty", key: "routing-key" } },
    { name: "team-chat", type: "slack", urlSecret: { name: "slack", key: "webhook-url" } },
    { name: "ticketing", type: "webhook", urlSecret: { name: "ticketing", key: "url" } },
  ],
  routes: { critical: "oncall", warning: "team-chat" },
});

describe("Alertmanager configuration builder", () => {
  const config = buildAlertmanagerConfig(allTypes, {
    filePath: (ref) => mountedSecretPath(ref),
    value: (ref) => `<value of ${ref.name}/${ref.key}>`,
  });

  it("routes each severity to the receiver the environment names", () => {
    const route = config.route as { receiver: string; routes: { receiver: string; matchers: string[] }[] };
    expect(route.receiver).toBe(UNROUTED_RECEIVER);
    expect(route.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ receiver: "oncall", matchers: ['severity="critical"'] }),
        expect.objectContaining({ receiver: "team-chat", matchers: ['severity="warning"'] }),
      ]),
    );
  });

  it("reads Slack and PagerDuty credentials from mounted Secret files, and mounts exactly those Secrets", () => {
    const text = YAML.stringify(config);
    expect(text).toContain("api_url_file: /etc/alertmanager/secrets/slack/webhook-url");
    expect(text).toContain("routing_key_file: /etc/alertmanager/secrets/pagerduty/routing-key");
    expect(secretsToMount(allTypes)).toEqual(["pagerduty", "slack"]);
  });

  it("takes the webhook URL from the Secret resolver, never from the environment file", () => {
    expect(YAML.stringify(config)).toContain("url: <value of ticketing/url>");
  });

  it("inhibits the latency alerts of a model whose endpoint is down, and those alerts exist", () => {
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: [`alertname="${ENDPOINT_DOWN_ALERT}"`],
        target_matchers: [`category="${INHIBITED_CATEGORY}"`],
        equal: ["namespace", "model_name"],
      },
    ]);
    const alerts = alertingRules(renderRuleFiles(promtoolTestContext()));
    expect(alerts.map((a) => a.alert)).toContain(ENDPOINT_DOWN_ALERT);
    const latency = alerts.filter((a) => a.labels.category === INHIBITED_CATEGORY).map((a) => a.alert);
    expect(latency).toEqual(expect.arrayContaining(["VllmCompletionTtftFastBurn", "VllmCompletionTtftSlowBurn", "VllmQueueBacklog"]));
  });
});

describe("amtool check-config", () => {
  let dir: string;
  beforeAll(() => (dir = makeTempDir("amtool")));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function check(section: ReturnType<typeof alertmanagerSection>) {
    const config = buildAlertmanagerConfig(section, {
      filePath: (ref) => {
        const file = path.join(dir, ref.name, ref.key);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `https://hooks.example.invalid/${ref.name}\n`);
        return file;
      },
      value: (ref) => `https://hooks.example.invalid/${ref.name}`,
    });
    const file = path.join(dir, `alertmanager-${Date.now()}.yaml`);
    fs.writeFileSync(file, YAML.stringify(config));
    return run("amtool", ["check-config", file]);
  }

  it("accepts the configuration with every receiver type", async () => {
    const result = await check(allTypes);
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("SUCCESS");
    expect(result.stdout).toContain("1 inhibit rules");
    expect(result.stdout).toContain("4 receivers");
  });

  it("accepts the default configuration (no receivers configured)", async () => {
    const result = await check(alertmanagerSection({}));
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
  });
});

interface Delivery {
  path: string;
  alerts: { labels: Record<string, string> }[];
}

describe("a real Alertmanager running the generated configuration", () => {
  let dir: string;
  let alertmanager: ToolProcess | undefined;
  let hooks: http.Server;
  let base: string;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    dir = makeTempDir("alertmanager");
    hooks = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        deliveries.push({ path: req.url ?? "", ...(JSON.parse(body) as { alerts: Delivery["alerts"] }) });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", () => resolve()));
    const hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;

    const section = alertmanagerSection({
      receivers: [
        { name: "oncall", type: "webhook", urlSecret: { name: "oncall-hook", key: "url" } },
        { name: "team", type: "webhook", urlSecret: { name: "team-hook", key: "url" } },
      ],
      routes: { critical: "oncall", warning: "team" },
    });
    const secretValues: Record<string, string> = { "oncall-hook": `${hooksUrl}/critical`, "team-hook": `${hooksUrl}/warning` };
    const config = buildAlertmanagerConfig(
      section,
      { filePath: (ref) => mountedSecretPath(ref, dir), value: (ref) => secretValues[ref.name] },
      { groupWait: "1s", groupInterval: "1s", repeatInterval: "1h" },
    );
    fs.writeFileSync(path.join(dir, "alertmanager.yaml"), YAML.stringify(config));

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    alertmanager = ToolProcess.start("prometheus-alertmanager", [
      `--config.file=${path.join(dir, "alertmanager.yaml")}`,
      `--storage.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ]);
    await waitFor("Alertmanager to be ready", async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 20_000);
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await new Promise<void>((resolve) => hooks.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const alert = (alertname: string, model: string, severity: string, category: string) => ({
    labels: { alertname, namespace: "aicockpit", model_name: model, severity, category },
    annotations: { summary: `${alertname} for ${model}` },
  });

  it("delivers by severity and silences the latency alerts of a model whose endpoint is down", async () => {
    const posted = await fetch(`${base}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert("VllmEndpointDown", "qwen2.5-coder-7b", "critical", "availability"),
        alert("VllmCompletionTtftFastBurn", "qwen2.5-coder-7b", "critical", "latency"),
        alert("VllmCompletionTtftFastBurn", "starcoder2-3b", "critical", "latency"),
        alert("VllmQueueBacklog", "starcoder2-3b", "warning", "latency"),
      ]),
    });
    expect(posted.status).toBe(200);

    const delivered = (p: string) =>
      deliveries.filter((d) => d.path === p).flatMap((d) => d.alerts.map((a) => `${a.labels.alertname}/${a.labels.model_name}`));
    await waitFor("notifications on both routes", async () =>
      delivered("/critical").length >= 2 && delivered("/warning").length >= 1 ? true : undefined,
    );
    // One more group interval, so a wrongly routed or uninhibited notification would have arrived too.
    await new Promise((r) => setTimeout(r, 2_500));

    expect(new Set(delivered("/critical"))).toEqual(
      new Set(["VllmEndpointDown/qwen2.5-coder-7b", "VllmCompletionTtftFastBurn/starcoder2-3b"]),
    );
    expect(new Set(delivered("/warning"))).toEqual(new Set(["VllmQueueBacklog/starcoder2-3b"]));

    const state = (await (await fetch(`${base}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    }[];
    const slo = (model: string) => state.find((a) => a.labels.alertname === "VllmCompletionTtftFastBurn" && a.labels.model_name === model);
    expect(slo("qwen2.5-coder-7b")?.status.state).toBe("suppressed");
    expect(slo("qwen2.5-coder-7b")?.status.inhibitedBy.length).toBe(1);
    expect(slo("starcoder2-3b")?.status.state).toBe("active");
  });
});
