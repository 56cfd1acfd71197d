/**
 * The vLLM (V1 engine) metrics AiCockpit's rules and dashboards read, as vLLM exposes them on
 * `/metrics`: every series carries `model_name` (the served model name) and `engine`.
 * The bucket bounds are vLLM's own, so quantiles computed from a fixture match production.
 * One list for the rules' tests, the dashboards' tests and the vLLM test fixture.
 */

export type VllmMetricKind = "counter" | "gauge" | "histogram";

export interface VllmMetricDefinition {
  /** Family name; counters are exposed with `_total`, histograms with `_bucket`, `_sum`, `_count`. */
  family: string;
  kind: VllmMetricKind;
  help: string;
  buckets?: readonly number[];
}

const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
] as const;
const INTER_TOKEN_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
] as const;
const REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0,
] as const;

export const VLLM_METRICS = {
  timeToFirstToken: {
    family: "vllm:time_to_first_token_seconds",
    kind: "histogram",
    help: "Histogram of time to first token in seconds.",
    buckets: TTFT_BUCKETS,
  },
  interTokenLatency: {
    family: "vllm:inter_token_latency_seconds",
    kind: "histogram",
    help: "Histogram of inter-token latency in seconds.",
    buckets: INTER_TOKEN_BUCKETS,
  },
  e2eRequestLatency: {
    family: "vllm:e2e_request_latency_seconds",
    kind: "histogram",
    help: "Histogram of e2e request latency in seconds.",
    buckets: REQUEST_LATENCY_BUCKETS,
  },
  requestQueueTime: {
    family: "vllm:request_queue_time_seconds",
    kind: "histogram",
    help: "Histogram of time spent in WAITING phase for request.",
    buckets: REQUEST_LATENCY_BUCKETS,
  },
  numRequestsRunning: {
    family: "vllm:num_requests_running",
    kind: "gauge",
    help: "Number of requests in model execution batches.",
  },
  numRequestsWaiting: {
    family: "vllm:num_requests_waiting",
    kind: "gauge",
    help: "Number of requests waiting to be processed.",
  },
  kvCacheUsage: {
    family: "vllm:kv_cache_usage_perc",
    kind: "gauge",
    help: "KV-cache usage. 1 means 100 percent usage.",
  },
  prefixCacheQueries: {
    family: "vllm:prefix_cache_queries",
    kind: "counter",
    help: "Prefix cache queries, in terms of number of queried tokens.",
  },
  prefixCacheHits: {
    family: "vllm:prefix_cache_hits",
    kind: "counter",
    help: "Prefix cache hits, in terms of number of cached tokens.",
  },
  numPreemptions: {
    family: "vllm:num_preemptions",
    kind: "counter",
    help: "Cumulative number of preemption from the engine.",
  },
  promptTokens: {
    family: "vllm:prompt_tokens",
    kind: "counter",
    help: "Number of prefill tokens processed.",
  },
  generationTokens: {
    family: "vllm:generation_tokens",
    kind: "counter",
    help: "Number of generation tokens processed.",
  },
} as const satisfies Record<string, VllmMetricDefinition>;

export type VllmMetricKey = keyof typeof VLLM_METRICS;

/** Every series name a scrape of vLLM yields for the metrics above (what PromQL can select). */
export function vllmSeriesNames(): string[] {
  return Object.values(VLLM_METRICS).flatMap((m: VllmMetricDefinition) => {
    switch (m.kind) {
      case "counter":
        return [`${m.family}_total`];
      case "gauge":
        return [m.family];
      case "histogram":
        return [`${m.family}_bucket`, `${m.family}_sum`, `${m.family}_count`];
    }
  });
}
