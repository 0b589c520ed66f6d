/**
 * The worker's metrics as Cloud Monitoring sees them, so dashboards, SLOs and alerts
 * reference the names the worker exports (one definition for both sides).
 *
 * The worker exports over OTLP to Google's Telemetry API (telemetry.googleapis.com). An
 * OTLP metric name without a domain lands under `prometheus.googleapis.com/<name>/<kind>`;
 * a name that carries a domain keeps it ("Metrics without a domain prefix default to
 * prometheus.googleapis.com/", GoogleCloudPlatform/opentelemetry-operations-js MIGRATION.md,
 * Strategy 3). The worker names each instrument with its full metric type under
 * `workload.googleapis.com/`, because that domain's descriptors can be declared by the stack
 * before the first export (what an SLO needs on a fresh project; docs/observability.md),
 * which is not documented for `prometheus.googleapis.com/`.
 *
 * The Telemetry API writes every point against a `prometheus_target` monitored resource
 * (location, cluster, namespace, job, instance), its labels taken from the OTLP resource
 * attributes `location`, `namespace`, `job` and `instance` first (Telemetry API
 * "v1.metrics overview", Prometheus mapping). The worker sets those four explicitly.
 */

/** Domain of the worker's metric types: user-defined, declarable before the first write. */
export const METRIC_PREFIX = "workload.googleapis.com";

/** Monitored resource the worker's time series are written against, and its label values. */
export const WORKER_TELEMETRY_RESOURCE = {
  type: "prometheus_target",
  namespace: "streaming-inference",
  job: "worker",
} as const;

/** Label keys on the worker's metrics. */
export const METRIC_LABELS = {
  /** One of `OUTCOMES`. */
  outcome: "outcome",
  /** One of `DEAD_LETTER_REASONS` (dead-lettered), or a short cause (nacked). */
  reason: "reason",
  /** gRPC status name of a predict call (`OK`, `UNAVAILABLE`, ...). */
  code: "code",
  /** Model id stamped on the predictions. */
  modelId: "model_id",
  /** A dependency of the worker (`worker/src/outage.ts` DEPENDENCIES): model, predictions_topic, ... */
  dependency: "dependency",
} as const;

/** What finally happened to an input message. */
export const OUTCOMES = {
  /** Prediction published, input acked. */
  predicted: "predicted",
  /** Poison message published to the dead-letter topic, input acked. */
  deadLettered: "dead_lettered",
  /** Could not finish (retries exhausted, drain deadline): nacked for redelivery. */
  nacked: "nacked",
} as const;
export type Outcome = (typeof OUTCOMES)[keyof typeof OUTCOMES];

/** `error.reason` attribute values on dead letters (and `reason` label values). */
export const DEAD_LETTER_REASONS = {
  invalidJson: "invalid_json",
  invalidEvent: "invalid_event",
  missingEventId: "missing_event_id",
  missingEntityId: "missing_entity_id",
  invalidFeatures: "invalid_features",
  noFeatures: "no_features",
  instanceTooLarge: "instance_too_large",
  modelRejected: "model_rejected",
  /** A required declared feature is in neither the event nor the stored row. */
  missingFeature: "missing_feature",
  /** A declared feature's value (inline or stored) is not of its declared type. */
  badFeature: "bad_feature",
  /**
   * The model's answer for this instance stayed wrong (out of spec, an error of its own, a
   * wrong prediction count when sent alone) through the worker's retries.
   */
  badModelAnswer: "bad_model_answer",
  /** The prediction message would break a Pub/Sub limit (contract/pubsubLimits.ts). */
  outputTooLarge: "output_too_large",
} as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[keyof typeof DEAD_LETTER_REASONS];

export interface MetricDefinition {
  /** Name under METRIC_PREFIX; the metric type (and the OTLP instrument name) is `${METRIC_PREFIX}/${name}`. */
  name: string;
  /** UCUM unit. */
  unit: string;
  kind: "histogram" | "counter";
  description: string;
  /** Bucket upper bounds of a histogram, in `unit`. */
  buckets?: readonly number[];
  /** Label keys (from METRIC_LABELS) set on each point. */
  labels: readonly string[];
}

/** Latency buckets (ms): fine below a second, and an exact bound at the 3-minute freshness SLO. */
const LATENCY_BUCKETS_MS = [
  1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
  120_000, 180_000, 300_000, 600_000, 1_800_000,
] as const;

const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 30, 40, 50, 75, 100, 200, 500, 1000] as const;

export const WORKER_METRICS = {
  /** From the input's Pub/Sub publish time to the prediction's publish being confirmed. Freshness SLO. */
  endToEndLatency: {
    name: "streaming_inference/end_to_end_latency",
    unit: "ms",
    kind: "histogram",
    description: "Time from the input event's Pub/Sub publish time to its prediction being published.",
    buckets: LATENCY_BUCKETS_MS,
    labels: [METRIC_LABELS.modelId],
  },
  /** Wall time of one Vertex predict call (every attempt, successful or not). */
  predictLatency: {
    name: "streaming_inference/predict_latency",
    unit: "ms",
    kind: "histogram",
    description: "Wall time of one Vertex AI predict call.",
    buckets: LATENCY_BUCKETS_MS,
    labels: [METRIC_LABELS.code, METRIC_LABELS.modelId],
  },
  /** Events per micro-batch handed to the model. */
  batchSize: {
    name: "streaming_inference/batch_size",
    unit: "1",
    kind: "histogram",
    description: "Number of events in one micro-batch.",
    buckets: BATCH_SIZE_BUCKETS,
    labels: [METRIC_LABELS.modelId],
  },
  /** Input messages by final outcome. Correctness SLO: dead_lettered / all. */
  messages: {
    name: "streaming_inference/messages",
    unit: "1",
    kind: "counter",
    description: "Input messages by outcome (predicted, dead_lettered, nacked) and reason.",
    labels: [METRIC_LABELS.outcome, METRIC_LABELS.reason, METRIC_LABELS.modelId],
  },
  /** Predict calls by gRPC status: the Vertex error rate as the worker sees it. */
  predictCalls: {
    name: "streaming_inference/predict_calls",
    unit: "1",
    kind: "counter",
    description: "Vertex AI predict calls by gRPC status code.",
    labels: [METRIC_LABELS.code, METRIC_LABELS.modelId],
  },
  /** Wall time of one Bigtable multi-get (one per batch). */
  featureLookupLatency: {
    name: "streaming_inference/feature_lookup_latency",
    unit: "ms",
    kind: "histogram",
    description: "Wall time of one Bigtable multi-get of a batch's entities.",
    buckets: LATENCY_BUCKETS_MS,
    labels: [],
  },
  /**
   * Seconds a dependency's circuit was open (the worker holding work, not pulling, probing):
   * rises while a dependency is down. Alert: any increase.
   */
  dependencyOutage: {
    name: "streaming_inference/dependency_outage",
    unit: "s",
    kind: "counter",
    description: "Seconds the worker held its work because a dependency did not answer, by dependency.",
    labels: [METRIC_LABELS.dependency],
  },
} as const satisfies Record<string, MetricDefinition>;

/** The Cloud Monitoring metric type of a worker metric. */
export function metricType(metric: MetricDefinition): string {
  return `${METRIC_PREFIX}/${metric.name}`;
}
