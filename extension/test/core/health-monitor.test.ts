import { HEALTHY_RECHECK_MS, HealthMonitor, MIN_RECHECK_MS, type ModelTarget, type ProbeResult, type RequestFailure } from "../../src/core";
import { flushMicrotasks, ManualClock } from "./support/manual-clock";

const A = "http://a:8000/v1";
const B = "http://b:8000/v1";

function target(completion?: { baseUrl: string; model: string }, chat?: { baseUrl: string; model: string }): ModelTarget {
  return {
    source: "manual",
    completion: completion && { ...completion, maxModelLen: 8192, toolCalling: false, fimFamily: "qwen", fimGuessed: false },
    chat: chat && { ...chat, maxModelLen: 8192, toolCalling: false },
    notes: [],
  };
}

const serves = (...models: string[]): ProbeResult => ({ ok: true, models });
const down: ProbeResult = { ok: false, error: "ECONNREFUSED" };

/** A monitor on a manual clock whose probes answer from `answers` (per base URL), recorded in `probes`. */
function setup(answers: Record<string, ProbeResult>) {
  const clock = new ManualClock();
  const probes: string[] = [];
  const log: { key: string; message: string }[] = [];
  const resets: string[] = [];
  let changes = 0;
  const monitor = new HealthMonitor({
    clock,
    probe: async (baseUrl) => {
      probes.push(baseUrl);
      return answers[baseUrl];
    },
    log: { once: (key, message) => log.push({ key, message }), reset: (key) => resets.push(key) },
    onChange: () => changes++,
  });
  /** Moves time and lets the probes it starts finish. */
  const advance = async (ms: number) => {
    await clock.advanceAsync(ms);
    await flushMicrotasks();
  };
  return { clock, monitor, probes, log, resets, answers, advance, changes: () => changes };
}

function failure(kind: RequestFailure["kind"], message = "boom", details: RequestFailure["details"] = {}): RequestFailure {
  return { kind, message, details };
}

describe("HealthMonitor probes", () => {
  test("with no model configured it says how to configure one and never probes", async () => {
    const { monitor, probes, clock } = setup({});
    monitor.reset(undefined);
    await monitor.check();
    expect(monitor.health.kind).toBe("unconfigured");
    expect(monitor.health.detail).toContain("Load Deployment Outputs");
    expect(probes).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  test("probes each base URL once, however many models it serves, and again a minute later", async () => {
    const { monitor, probes, advance, changes } = setup({ [A]: serves("coder", "chat"), [B]: serves("other") });
    monitor.reset(target({ baseUrl: A, model: "coder" }, { baseUrl: A, model: "chat" }));
    await monitor.check();
    expect(probes).toEqual([A]);
    expect(monitor.health).toEqual({ kind: "ok", detail: `${A} serves coder, chat.` });
    expect(changes()).toBe(1);

    await advance(HEALTHY_RECHECK_MS - 1);
    expect(probes).toHaveLength(1);
    await advance(1);
    expect(probes).toHaveLength(2);
    expect(changes()).toBe(1); // the same health again is no change
  });

  test("joins the details of completion and chat endpoints behind different URLs", async () => {
    const { monitor } = setup({ [A]: serves("coder"), [B]: serves("chat") });
    monitor.reset(target({ baseUrl: A, model: "coder" }, { baseUrl: B, model: "chat" }));
    await monitor.check();
    expect(monitor.health).toEqual({ kind: "ok", detail: `${A} serves coder. ${B} serves chat.` });
  });

  test("a down server is backed off and probed on the backoff schedule until it is back", async () => {
    const { monitor, probes, answers, advance, log, resets } = setup({ [A]: down });
    monitor.reset(target({ baseUrl: A, model: "coder" }));
    await monitor.check();
    expect(monitor.health.kind).toBe("unreachable");
    expect(monitor.canRequest(A)).toBe(false);
    expect(log).toEqual([{ key: `health:${A}`, message: `${A} is unreachable (ECONNREFUSED).` }]);

    // 1 s, then 2 s, then 4 s after each failed probe.
    await advance(MIN_RECHECK_MS);
    expect(probes).toHaveLength(2);
    await advance(1_999);
    expect(probes).toHaveLength(2);
    await advance(1);
    expect(probes).toHaveLength(3);
    expect(monitor.backoff(A).consecutiveFailures).toBe(3);

    answers[A] = serves("coder");
    await advance(4_000);
    expect(probes).toHaveLength(4);
    expect(monitor.health.kind).toBe("ok");
    expect(monitor.canRequest(A)).toBe(true);
    expect(resets).toContain(`health:${A}`);
  });

  test("a missing model does not back off the server: its other models keep working", async () => {
    const { monitor, advance, probes } = setup({ [A]: serves("coder") });
    monitor.reset(target({ baseUrl: A, model: "coder" }, { baseUrl: A, model: "chat-32b" }));
    await monitor.check();
    expect(monitor.health.kind).toBe("model-not-found");
    expect(monitor.health.detail).toBe(`${A} does not serve "chat-32b"; it serves: coder.`);
    expect(monitor.missingModel).toBe("chat-32b");
    expect(monitor.canRequest(A)).toBe(true);
    expect(monitor.backoff(A).consecutiveFailures).toBe(0);
    // Probed again at the healthy pace, not the backoff one.
    await advance(HEALTHY_RECHECK_MS - 1);
    expect(probes).toHaveLength(1);
  });

  test("a failing endpoint outranks one that only misses a model, whichever comes first", async () => {
    const { monitor } = setup({ [A]: serves("coder"), [B]: { ok: false, status: 401 } });
    monitor.reset(target({ baseUrl: A, model: "missing" }, { baseUrl: B, model: "chat" }));
    await monitor.check();
    expect(monitor.health.kind).toBe("unauthorized");

    const second = setup({ [A]: { ok: false, status: 502 }, [B]: down });
    second.monitor.reset(target({ baseUrl: A, model: "coder" }, { baseUrl: B, model: "chat" }));
    await second.monitor.check();
    expect(second.monitor.health.kind).toBe("error"); // the first failure is the one shown
  });

  test("a check asked for mid-probe runs once more after it, however often it was asked", async () => {
    const { monitor, probes, answers } = setup({ [A]: down });
    monitor.reset(target({ baseUrl: A, model: "coder" }));
    const first = monitor.check();
    // The key changes while the first probe is on its way.
    answers[A] = serves("coder");
    const second = monitor.check();
    const third = monitor.check();
    expect(second).toBe(first);
    expect(third).toBe(first);
    await first;
    expect(probes).toEqual([A, A]);
    expect(monitor.health.kind).toBe("ok");
    // The next check starts a new round.
    await monitor.check();
    expect(probes).toHaveLength(3);
  });

  test("reset forgets every backoff and probes the new models from the next check", async () => {
    const { monitor, probes } = setup({ [A]: down, [B]: serves("chat") });
    monitor.reset(target({ baseUrl: A, model: "coder" }));
    await monitor.check();
    expect(monitor.canRequest(A)).toBe(false);
    monitor.reset(target(undefined, { baseUrl: B, model: "chat" }));
    expect(monitor.canRequest(A)).toBe(true);
    await monitor.check();
    expect(probes).toEqual([A, B]);
    expect(monitor.health.kind).toBe("ok");
  });

  test("after dispose nothing is probed any more, even a recheck asked for mid-probe", async () => {
    const { monitor, probes, clock, advance } = setup({ [A]: serves("coder") });
    monitor.reset(target({ baseUrl: A, model: "coder" }));
    const first = monitor.check();
    void monitor.check();
    monitor.dispose();
    await first;
    expect(probes).toHaveLength(1);
    expect(clock.pending).toBe(0);
    await advance(10 * HEALTHY_RECHECK_MS);
    expect(probes).toHaveLength(1);
  });
});

describe("HealthMonitor request outcomes", () => {
  async function healthy(answers: Record<string, ProbeResult> = { [A]: serves("coder") }) {
    const s = setup(answers);
    s.monitor.reset(target({ baseUrl: A, model: "coder" }));
    await s.monitor.check();
    return s;
  }

  test("a failed request backs off its endpoint, says so once in the log and probes when the backoff ends", async () => {
    const { monitor, probes, log, advance } = await healthy();
    log.length = 0;
    monitor.recordFailure(A, failure("timeout", "The server did not answer in time."), "coder");
    expect(monitor.health).toEqual({ kind: "unreachable", detail: `${A} is unreachable (The server did not answer in time.).` });
    expect(monitor.canRequest(A)).toBe(false);
    expect(log).toEqual([{ key: `failure:${A}`, message: `${A}: The server did not answer in time. — backing off 1 s (failure 1).` }]);
    await advance(MIN_RECHECK_MS);
    expect(probes).toHaveLength(2);
    expect(monitor.health.kind).toBe("ok");
  });

  test("a failure the caller's controller already counted is not counted twice", async () => {
    const { monitor, clock, log } = await healthy();
    log.length = 0;
    monitor.backoff(A).recordFailure(clock.now()); // as CompletionController does on the shared policy
    monitor.recordFailure(A, failure("server-error", "Server error 503: busy", { status: 503 }), "coder", true);
    expect(monitor.backoff(A).consecutiveFailures).toBe(1);
    expect(monitor.health).toEqual({ kind: "error", detail: `${A} answered HTTP 503: Server error 503: busy.` });
    expect(log[0].message).toContain("backing off 1 s (failure 1)");
  });

  test("each failure kind shows the state a failed probe would", async () => {
    const { monitor } = await healthy();
    monitor.recordFailure(A, failure("unauthorized"));
    expect(monitor.health.kind).toBe("unauthorized");
    monitor.recordFailure(A, failure("unreachable", "Server unreachable: ECONNREFUSED"));
    expect(monitor.health).toEqual({ kind: "unreachable", detail: `${A} is unreachable (Server unreachable: ECONNREFUSED).` });
    monitor.recordFailure(A, failure("server-error", "Server error"));
    expect(monitor.health.detail).toBe(`${A} answered HTTP 500: Server error.`);
    monitor.recordFailure(A, failure("model-not-found", "Model not found", { model: "coder-32b", servedModels: ["coder"] }));
    expect(monitor.health).toEqual({ kind: "model-not-found", detail: `${A} does not serve "coder-32b"; it serves: coder.` });
    expect(monitor.missingModel).toBe("coder-32b");
  });

  test("a missing model is the one the request named, before the one in the error", async () => {
    const { monitor } = await healthy();
    monitor.recordFailure(A, failure("model-not-found", "Model not found", { model: "from-error" }), "requested");
    expect(monitor.missingModel).toBe("requested");
    expect(monitor.health.detail).toBe(`${A} does not serve "requested"; it serves: none.`);
  });

  test("cancelled and malformed requests say nothing about the endpoint", async () => {
    const { monitor, log, changes } = await healthy();
    log.length = 0;
    const before = changes();
    monitor.recordFailure(A, failure("aborted", "Request cancelled."));
    monitor.recordFailure(A, failure("bad-request", "Request rejected: max_tokens too large", { status: 400 }));
    expect(monitor.canRequest(A)).toBe(true);
    expect(monitor.health.kind).toBe("ok");
    expect(changes()).toBe(before);
    expect(log).toEqual([{ key: `bad-request:${A}`, message: "Request rejected: max_tokens too large" }]);
  });

  test("a success after failures clears the backoff and probes at once", async () => {
    const { monitor, probes } = await healthy();
    monitor.recordFailure(A, failure("unreachable"));
    expect(monitor.canRequest(A)).toBe(false);
    monitor.recordSuccess(A);
    expect(monitor.canRequest(A)).toBe(true);
    await flushMicrotasks();
    expect(probes).toHaveLength(2);
    expect(monitor.health.kind).toBe("ok");
  });

  test("while another model is missing, successful requests cost no probe", async () => {
    const { monitor, probes } = await healthy({ [A]: serves("coder"), [B]: serves("other") });
    monitor.reset(target({ baseUrl: A, model: "coder" }, { baseUrl: B, model: "chat" }));
    await monitor.check();
    expect(monitor.health.kind).toBe("model-not-found");
    const before = probes.length;
    for (let i = 0; i < 20; i++) monitor.recordSuccess(A);
    await flushMicrotasks();
    expect(probes).toHaveLength(before);
  });

  test("probes never come closer than the minimum gap, even when the backoff allows it sooner", async () => {
    const { monitor, probes, advance } = await healthy();
    monitor.recordFailure(A, failure("unreachable"), "coder", true); // nothing recorded: retry allowed now
    expect(monitor.canRequest(A)).toBe(true);
    await advance(MIN_RECHECK_MS - 1);
    expect(probes).toHaveLength(1);
    await advance(1);
    expect(probes).toHaveLength(2);
  });
});
