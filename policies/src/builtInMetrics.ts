/**
 * The Google Cloud built-in metrics the platform's SLOs, alerts and dashboard name. A
 * built-in metric's descriptor exists in every project once its API is enabled, so a filter
 * on it is valid on the first `pulumi up`. Kept by hand, on purpose: a new built-in is added
 * here after checking its name in Google's metric list
 * (https://cloud.google.com/monitoring/api/metrics_gcp), so a typo in a filter is caught
 * instead of passing for a built-in.
 */
export const BUILT_IN_METRICS: ReadonlySet<string> = new Set([
  // Pub/Sub (metrics_gcp_p_z#gcp-pubsub)
  "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
  "pubsub.googleapis.com/subscription/num_undelivered_messages",
  "pubsub.googleapis.com/topic/send_message_operation_count",
  // Vertex AI online prediction (metrics_gcp_a_b#gcp-aiplatform)
  "aiplatform.googleapis.com/prediction/online/prediction_count",
  "aiplatform.googleapis.com/prediction/online/error_count",
  "aiplatform.googleapis.com/prediction/online/prediction_latencies",
  "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
  "aiplatform.googleapis.com/prediction/online/replicas",
  // Cloud Run (metrics_gcp_p_z#gcp-run)
  "run.googleapis.com/container/instance_count",
]);

/**
 * Domains of metric types a project may declare itself (metricDescriptors.create).
 * `custom` and `external`: google/api/metric.proto, MetricDescriptor.type. `workload`: the
 * domain of OpenTelemetry and Ops Agent metrics, whose descriptors Google's own exporter
 * creates (`@google-cloud/opentelemetry-cloud-monitoring-exporter`, monitoring.ts) and Google's
 * Terraform declares (googleapis/storage-shared-benchmarking w1r3/infra/metrics/main.tf).
 * `logging.googleapis.com/user/`: log-based metrics (the provider's MetricDescriptor.type).
 */
export const USER_METRIC_DOMAINS = [
  "custom.googleapis.com/",
  "external.googleapis.com/",
  "workload.googleapis.com/",
  "logging.googleapis.com/user/",
] as const;

/**
 * Domain whose metrics only exist after their first write: Managed Service for Prometheus,
 * and every OTLP metric sent to telemetry.googleapis.com without a domain of its own
 * (`prometheus.googleapis.com/<name>/<kind>`). Google documents no way to declare them ahead.
 */
export const WRITE_CREATED_DOMAIN = "prometheus.googleapis.com/";
