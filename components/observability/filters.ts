/**
 * Cloud Monitoring filters for the series the platform is judged on: the worker's own
 * metrics (names from `contract/metrics.ts`), Pub/Sub backlogs, the Vertex AI endpoint,
 * and the Cloud Run worker pool. Pure functions of resolved ids, so each is tested.
 */
import {
  OUTCOMES,
  METRIC_LABELS,
  WORKER_METRICS,
  WORKER_TELEMETRY_RESOURCE,
  metricType,
} from "../../contract";

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** The worker's series: the metric on the `prometheus_target` the Telemetry API writes it to. */
export function workerMetricFilter(metric: keyof typeof WORKER_METRICS, extra = ""): string {
  return [
    `metric.type=${quoted(metricType(WORKER_METRICS[metric]))}`,
    `resource.type=${quoted(WORKER_TELEMETRY_RESOURCE.type)}`,
    `resource.label.namespace=${quoted(WORKER_TELEMETRY_RESOURCE.namespace)}`,
    `resource.label.job=${quoted(WORKER_TELEMETRY_RESOURCE.job)}`,
    extra,
  ]
    .filter((part) => part !== "")
    .join(" ");
}

/** Input messages that ended with `outcome` (predicted, dead_lettered, nacked). */
export function outcomeFilter(outcome: (typeof OUTCOMES)[keyof typeof OUTCOMES]): string {
  return workerMetricFilter("messages", `metric.label.${METRIC_LABELS.outcome}=${quoted(outcome)}`);
}

export const PUBSUB_METRICS = {
  oldestUnackedAge: "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
  undelivered: "pubsub.googleapis.com/subscription/num_undelivered_messages",
} as const;

export function subscriptionFilter(metric: keyof typeof PUBSUB_METRICS, subscriptionId: string): string {
  return [
    `metric.type=${quoted(PUBSUB_METRICS[metric])}`,
    `resource.type="pubsub_subscription"`,
    `resource.label.subscription_id=${quoted(subscriptionId)}`,
  ].join(" ");
}

export const VERTEX_METRICS = {
  predictions: "aiplatform.googleapis.com/prediction/online/prediction_count",
  errors: "aiplatform.googleapis.com/prediction/online/error_count",
  latencies: "aiplatform.googleapis.com/prediction/online/prediction_latencies",
  dutyCycle: "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
  replicas: "aiplatform.googleapis.com/prediction/online/replicas",
} as const;

export function endpointFilter(
  metric: keyof typeof VERTEX_METRICS,
  endpointId: string,
  region: string,
): string {
  return [
    `metric.type=${quoted(VERTEX_METRICS[metric])}`,
    `resource.type="aiplatform.googleapis.com/Endpoint"`,
    `resource.label.endpoint_id=${quoted(endpointId)}`,
    `resource.label.location=${quoted(region)}`,
  ].join(" ");
}

export const WORKER_POOL_INSTANCES = "run.googleapis.com/container/instance_count";

export function workerPoolFilter(poolName: string, region: string): string {
  return [
    `metric.type=${quoted(WORKER_POOL_INSTANCES)}`,
    `resource.type="cloud_run_worker_pool"`,
    `resource.label.worker_pool_name=${quoted(poolName)}`,
    `resource.label.location=${quoted(region)}`,
  ].join(" ");
}

/** The SLO burn-rate series over a lookback window (`select_slo_burn_rate`). */
export function burnRateFilter(sloName: string, windowSeconds: number): string {
  return `select_slo_burn_rate(${quoted(sloName)}, "${windowSeconds}s")`;
}
