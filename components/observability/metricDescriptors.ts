/**
 * The worker's metric descriptors, declared by the stack so that every metric an SLO, an
 * alert or the dashboard names exists before they are created. Cloud Monitoring rejects an
 * SLO or alert policy on a metric with no descriptor ("Invalid SLO definition: The metric
 * referenced by the provided filter is unknown", GoogleCloudPlatform/cloud-ops-sandbox#896),
 * and on a fresh project the worker has not exported yet.
 *
 * Kinds follow what the worker sends over OTLP: cumulative temporality (the exporter's
 * default), monotonic sums of doubles for counters (the Telemetry API stores OTLP integers as
 * doubles, opentelemetry-operations-js MIGRATION.md "Metric Mapping"), explicit-bucket
 * histograms as distributions. The provider waits until a created descriptor can be read
 * (magic-modules MetricDescriptor.yaml: PollAsync, PollCheckForExistence), so `dependsOn`
 * is enough to order the SLOs after it.
 */
import type * as gcp from "@pulumi/gcp";
import { METRIC_LABELS, metricType, type MetricDefinition } from "../../contract";

type LabelKey = (typeof METRIC_LABELS)[keyof typeof METRIC_LABELS];

const LABEL_DESCRIPTIONS: Record<LabelKey, string> = {
  [METRIC_LABELS.outcome]: "What finally happened to the input: predicted, dead_lettered or nacked.",
  [METRIC_LABELS.reason]: "Why a message was dead-lettered or nacked (ok when predicted).",
  [METRIC_LABELS.code]: "gRPC status name of the predict call (OK, UNAVAILABLE, ...).",
  [METRIC_LABELS.modelId]: "Model id stamped on the predictions.",
  [METRIC_LABELS.dependency]:
    "A dependency of the worker: model, predictions_topic, dead_letter_topic, feature_store.",
};

/** `end_to_end_latency` -> `End to end latency`. */
function displayName(metric: MetricDefinition): string {
  const last = metric.name.split("/").pop() ?? metric.name;
  const words = last.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The descriptor of one worker metric (everything but the project). */
export function metricDescriptorArgs(
  metric: MetricDefinition,
): Omit<gcp.monitoring.MetricDescriptorArgs, "project"> {
  return {
    type: metricType(metric),
    metricKind: "CUMULATIVE",
    valueType: metric.kind === "histogram" ? "DISTRIBUTION" : "DOUBLE",
    unit: metric.unit,
    description: metric.description,
    displayName: displayName(metric),
    labels: metric.labels.map((key) => ({
      key,
      valueType: "STRING",
      description: LABEL_DESCRIPTIONS[key as LabelKey] ?? key,
    })),
  };
}
