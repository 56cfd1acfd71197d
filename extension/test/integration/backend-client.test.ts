import { BackendClient } from "../../src/client/backend-client";
import { BackendError } from "../../src/client/errors";
import { classifyHealth } from "../../src/core/health";
import { API_KEY, collect, eventually, MODEL, startHarness, type Harness } from "./fixture-helpers";

describe("BackendClient against the vLLM fixture", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.fixture.stop();
  });

  describe("models and health", () => {
    it("lists served models with their max_model_len", async () => {
      h.script.maxModelLen = 16384;
      await expect(h.client().listModels()).resolves.toEqual([{ id: MODEL, maxModelLen: 16384 }]);
      expect(h.fixture.requestsTo("/v1/models")[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    });

    const health = async (client: BackendClient, models = [MODEL]) => classifyHealth((await client.probe()).result, models, "fixture");

    it("reports ok when the configured model is served", async () => {
      expect((await health(h.client())).kind).toBe("ok");
    });

    it("reports a missing model and the names the server has", async () => {
      const result = await health(h.client(), ["qwen2.5-coder-32b"]);
      expect(result.kind).toBe("model-not-found");
      expect(result.detail).toContain(`it serves: ${MODEL}`);
    });

    it("reports unauthorized for a wrong key and for no key", async () => {
      expect((await health(h.client({ apiKey: "wrong" }))).kind).toBe("unauthorized");
      expect((await health(h.client({ apiKey: undefined }))).kind).toBe("unauthorized");
      // Without a key the client sends no Authorization header at all.
      expect(h.fixture.requestsTo("/v1/models").at(-1)?.headers.authorization).toBeUndefined();
    });

    it("reports unreachable when nothing listens", async () => {
      const baseUrl = `${h.fixture.url}/v1`;
      await h.fixture.stop();
      expect((await health(new BackendClient({ baseUrl, apiKey: API_KEY, timeoutMs: 2000 }))).kind).toBe("unreachable");
      h = await startHarness(); // afterEach stops a running fixture
    });

    it("reports unreachable when /v1/models does not answer in time", async () => {
      h.fixture.route("GET", "/v1/models", () => new Promise(() => undefined)); // never answers
      const started = Date.now();
      const result = await health(h.client({ timeoutMs: 200 }));
      expect(result.kind).toBe("unreachable");
      expect(result.detail).toContain("did not answer in time");
      expect(Date.now() - started).toBeLessThan(1500);
    });

    it("reports a server error with its status", async () => {
      h.script.faults.push({ kind: "status", status: 503 });
      const result = await health(h.client());
      expect(result.kind).toBe("error");
      expect(result.detail).toContain("503");
    });

    it("does not send the SDK's platform headers", async () => {
      await h.client().listModels();
      const headers = h.fixture.requestsTo("/v1/models")[0].headers;
      expect(Object.keys(headers).filter((k) => k.startsWith("x-stainless"))).toEqual([]);
    });
  });

  describe("streamed completions", () => {
    const request = {
      model: MODEL,
      prompt: "<|fim_prefix|>def add(a, b):\n<|fim_suffix|>\n<|fim_middle|>",
      maxTokens: 64,
      stop: ["<|endoftext|>"],
    };

    it("yields vLLM's SSE text through to [DONE]", async () => {
      h.script.completionQueue.push("    return a + b");
      const raw = await collect(h.client().streamCompletion(request));
      expect(raw).toContain('"text":"return"');
      expect(raw.trimEnd().endsWith("data: [DONE]")).toBe(true);
      const body = h.fixture.requestsTo("/v1/completions")[0].body as Record<string, unknown>;
      expect(body).toMatchObject({ model: MODEL, stream: true, max_tokens: 64, stop: ["<|endoftext|>"] });
      expect(body).not.toHaveProperty("suffix");
    });

    it("closes the connection when the consumer stops early, so the server stops generating", async () => {
      h.script.completionQueue.push(Array.from({ length: 200 }, (_, i) => `t${i}`).join(" "));
      h.script.tokensPerSecond = 200;
      for await (const chunk of h.client().streamCompletion({ ...request, maxTokens: 1000 })) {
        if (chunk.includes("t1")) break;
      }
      const generation = h.script.generations[0];
      await eventually(() => generation.clientClosed);
      expect(generation.finished).toBe(false);
      expect(generation.tokensSent).toBeLessThan(generation.tokensPlanned);
    });

    it("aborts when the caller's signal fires", async () => {
      h.script.ttftMs = 1000;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(collect(h.client().streamCompletion(request, controller.signal))).rejects.toMatchObject({ kind: "aborted" });
      await eventually(() => h.script.generations[0]?.clientClosed === true);
    });

    it("times out when the first token takes longer than the timeout", async () => {
      h.script.ttftMs = 1500;
      const started = Date.now();
      await expect(collect(h.client({ timeoutMs: 200 }).streamCompletion(request))).rejects.toMatchObject({ kind: "timeout" });
      expect(Date.now() - started).toBeLessThan(1400);
    });

    it("keeps a slow but flowing stream alive past the timeout", async () => {
      h.script.completionQueue.push("a b c d e f g h i j");
      h.script.tokensPerSecond = 20; // ~1 s in total, 50 ms between chunks
      const raw = await collect(h.client({ timeoutMs: 300 }).streamCompletion(request));
      expect(raw).toContain("[DONE]");
    });

    it("names the served models when the requested one does not exist", async () => {
      const error = await collect(h.client().streamCompletion({ ...request, model: "starcoder2-15b" })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect(error).toMatchObject({ kind: "model-not-found", details: { model: "starcoder2-15b", servedModels: [MODEL] } });
      expect((error as Error).message).toContain(MODEL);
    });

    it("rejects a wrong API key as unauthorized", async () => {
      await expect(collect(h.client({ apiKey: "nope" }).streamCompletion(request))).rejects.toMatchObject({ kind: "unauthorized" });
    });

    it("reports a prompt over the context length as a bad request, with the server's message once", async () => {
      h.script.maxModelLen = 10;
      const error = (await collect(h.client().streamCompletion(request)).catch((e: unknown) => e)) as { kind: string; message: string };
      expect(error.kind).toBe("bad-request");
      expect(error.message).toMatch(/^Request rejected: (?!400 )\S/);
    });

    it("states a server error's status once, then the server's message", async () => {
      h.script.faults.push({
        kind: "status",
        status: 503,
        // vLLM's error shape (the fixture's default for an injected status).
        body: { error: { message: "busy", type: "ServiceUnavailableError", param: null, code: 503 } },
      });
      const error = (await collect(h.client().streamCompletion(request)).catch((e: unknown) => e)) as { kind: string; message: string };
      expect([error.kind, error.message]).toEqual(["server-error", "Server error 503: busy"]);
    });

    it("reports a connection dropped mid-stream as unreachable", async () => {
      h.script.completionQueue.push("one two three four five six");
      h.script.faults.push({ kind: "drop-mid-stream", afterTokens: 2 });
      await expect(collect(h.client().streamCompletion(request))).rejects.toMatchObject({ kind: "unreachable" });
    });

    it("reports a refused connection as unreachable", async () => {
      h.script.faults.push({ kind: "drop" });
      await expect(collect(h.client().streamCompletion(request))).rejects.toMatchObject({ kind: "unreachable" });
    });
  });

  describe("streamed chat", () => {
    it("streams chat chunks with the role first", async () => {
      h.script.chatQueue.push("Use `Array.prototype.map`.");
      const raw = await collect(
        h.client().streamChat({
          model: MODEL,
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "How to map?" },
          ],
        }),
      );
      expect(raw.indexOf('"role":"assistant"')).toBeGreaterThanOrEqual(0);
      expect(raw.indexOf('"role":"assistant"')).toBeLessThan(raw.indexOf('"content":"Use"'));
      expect(raw).toContain("[DONE]");
      const body = h.fixture.requestsTo("/v1/chat/completions")[0].body as { messages: unknown[] };
      expect(body.messages).toEqual([
        { role: "system", content: "Be brief." },
        { role: "user", content: "How to map?" },
      ]);
    });
  });
});
