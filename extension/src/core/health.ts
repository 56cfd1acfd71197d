/**
 * Endpoint health from a `/v1/models` probe, and the status bar wording (fixed strings the
 * end-to-end tests read: `unreachable`, `unauthorized`, `model not found`).
 */

/** Health states. */
export type HealthKind = "ok" | "unreachable" | "unauthorized" | "model-not-found" | "unconfigured" | "error";

/** A classified probe result. */
export interface Health {
  kind: HealthKind;
  /** One sentence for the tooltip / log. */
  detail: string;
}

/** What the probe saw: the model ids listed, or an HTTP status / network error. */
export type ProbeResult = { ok: true; models: readonly string[] } | { ok: false; status?: number; error?: string };

/** Classifies a probe of `baseUrl` for the models the extension is configured to use. */
export function classifyHealth(probe: ProbeResult, wantedModels: readonly string[], baseUrl: string): Health {
  if (!probe.ok) {
    if (probe.status === 401 || probe.status === 403) {
      return { kind: "unauthorized", detail: `${baseUrl} rejected the API key (HTTP ${probe.status}). Run "AiCockpit: Set API Key".` };
    }
    if (probe.status === undefined) {
      return { kind: "unreachable", detail: `${baseUrl} is unreachable${probe.error ? ` (${probe.error})` : ""}.` };
    }
    return { kind: "error", detail: `${baseUrl} answered HTTP ${probe.status}${probe.error ? `: ${probe.error}` : ""}.` };
  }
  const missing = wantedModels.filter((m) => !probe.models.includes(m));
  if (missing.length > 0) {
    const has = probe.models.length > 0 ? probe.models.join(", ") : "none";
    return { kind: "model-not-found", detail: `${baseUrl} does not serve ${missing.map((m) => `"${m}"`).join(", ")}; it serves: ${has}.` };
  }
  return { kind: "ok", detail: `${baseUrl} serves ${wantedModels.join(", ")}.` };
}

const STATE_WORDS: Record<Exclude<HealthKind, "ok">, string> = {
  unreachable: "unreachable",
  unauthorized: "unauthorized",
  "model-not-found": "model not found",
  unconfigured: "not configured",
  error: "error",
};

/**
 * Status bar text: `$(hubot) AiCockpit qwen2.5-coder-7b · 42 ms`, or the state word; a `warning`
 * (a healthy endpoint whose model is misconfigured) replaces the latency.
 */
export function statusBarText(kind: HealthKind, model?: string, latencyMs?: number, warning?: string): string {
  const base = "$(hubot) AiCockpit";
  if (kind !== "ok") return `${base} ${model && kind === "model-not-found" ? `${model} · ` : ""}${STATE_WORDS[kind]}`;
  if (warning) return `${base} ${[model, `$(warning) ${warning}`].filter(Boolean).join(" · ")}`;
  const parts = [model, latencyMs === undefined ? undefined : `${Math.round(latencyMs)} ms`].filter(Boolean);
  return parts.length > 0 ? `${base} ${parts.join(" · ")}` : base;
}
