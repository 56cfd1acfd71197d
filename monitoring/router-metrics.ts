/**
 * The router's metrics the kit's rules, dashboards and autoscaler read, as vllm-project/router
 * exposes them on its Prometheus port (`src/metrics.rs` @ 02b9331f, read 2026-11-26): names
 * prefixed `vllm_router_` (vLLM's own use `vllm:`), and the PodMonitor gives every series `job`
 * "vllm-router" and the model's `model_name`, so router and vLLM series never mix. A request is
 * counted once it is answered: in `requests` when the worker's answer is a success, in
 * `requestErrors` otherwise, with `error_type` "no_available_workers" when no replica could take
 * it (`src/routers/http/router.rs` @ de786cd0, read 2026-11-26).
 */
import { ROUTER_POD_SELECTOR } from "../core/scale/routing";

export const ROUTER_METRICS = {
  /** Counter, label `route`: requests answered with a success. */
  requests: "vllm_router_requests_total",
  /** Counter, labels `route`, `error_type`: requests that failed. */
  requestErrors: "vllm_router_request_errors_total",
  /** Gauge: workers (vLLM replicas) the router currently routes to. */
  activeWorkers: "vllm_router_active_workers",
  /** Gauge, label `worker`: 1 healthy, 0 unhealthy. */
  workerHealth: "vllm_router_worker_health",
  /** Histogram, label `route`. */
  requestDuration: "vllm_router_request_duration_seconds",
} as const;

/** The `job` label of the router's series: its pods' `app.kubernetes.io/name`, which the PodMonitor takes as the job. */
export const ROUTER_JOB = ROUTER_POD_SELECTOR["app.kubernetes.io/name"];
