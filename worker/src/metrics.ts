/**
 * OpenTelemetry metrics for Cloud Monitoring: the instruments declared in
 * contract/metrics.ts, exported over OTLP/gRPC to Google's Telemetry API
 * (telemetry.googleapis.com) when SI_METRICS_EXPORTER=cloud-monitoring (and not created at
 * all when `none`).
 *
 * Set up as Google's own sample does (GoogleCloudPlatform/opentelemetry-operations-js,
 * samples/otlpmetricexport): the OTLP gRPC exporter over TLS, with google-auth-library's
 * Application Default Credentials as per-call credentials, so the token refreshes by itself.
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { credentials as grpcCredentials, type ChannelCredentials } from "@grpc/grpc-js";
import type { Attributes, Counter, Histogram } from "@opentelemetry/api";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-grpc";
import { gcpDetector } from "@opentelemetry/resource-detector-gcp";
import {
  detectResources,
  resourceFromAttributes,
  type Resource,
  type ResourceDetector,
} from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { GoogleAuth } from "google-auth-library";
import {
  METRIC_LABELS,
  WORKER_METRICS,
  WORKER_TELEMETRY_RESOURCE,
  metricType,
  type MetricDefinition,
  type Outcome,
} from "../../contract";
import type { Telemetry } from "./telemetry";

/** Cloud Monitoring accepts a point per series at most every 5 s; a minute is plenty for SLOs. */
export const EXPORT_INTERVAL_MS = 60_000;

/** Google's Telemetry (OTLP) API, gRPC (`telemetry.googleapis.com:443`, Telemetry API overview). */
export const TELEMETRY_API_ENDPOINT = "https://telemetry.googleapis.com:443";

export interface CloudMetricsOptions {
  projectId: string;
  region: string;
  modelId: string;
  exportIntervalMs?: number;
  /** OTLP/gRPC endpoint. Defaults to Google's Telemetry API. */
  endpoint?: string;
  /** Channel credentials. Defaults to TLS plus Application Default Credentials. */
  credentials?: ChannelCredentials;
  /** Resource detectors. Defaults to OpenTelemetry's GCP detector (reads the metadata server). */
  detectors?: ResourceDetector[];
}

export interface CloudMetrics {
  telemetry: Telemetry;
  /** Exports what is pending and stops the exporter. */
  shutdown(): Promise<void>;
}

function histogram(provider: MeterProvider, metric: MetricDefinition): Histogram {
  return provider.getMeter("streaming-inference-worker").createHistogram(metricType(metric), {
    unit: metric.unit,
    description: metric.description,
    advice: metric.buckets ? { explicitBucketBoundaries: [...metric.buckets] } : undefined,
  });
}

function counter(provider: MeterProvider, metric: MetricDefinition): Counter {
  return provider.getMeter("streaming-inference-worker").createCounter(metricType(metric), {
    unit: metric.unit,
    description: metric.description,
  });
}

/** The worker's instruments (names, units and labels from contract/metrics.ts) on a meter provider. */
export function otelTelemetry(provider: MeterProvider, modelId: string): Telemetry {
  const model: Attributes = { [METRIC_LABELS.modelId]: modelId };
  const endToEnd = histogram(provider, WORKER_METRICS.endToEndLatency);
  const predictLatency = histogram(provider, WORKER_METRICS.predictLatency);
  const batchSize = histogram(provider, WORKER_METRICS.batchSize);
  const featureLookup = histogram(provider, WORKER_METRICS.featureLookupLatency);
  const messages = counter(provider, WORKER_METRICS.messages);
  const predictCalls = counter(provider, WORKER_METRICS.predictCalls);
  const dependencyOutage = counter(provider, WORKER_METRICS.dependencyOutage);
  return {
    batch: (size) => batchSize.record(size, model),
    predictCall: (ms, code) => {
      predictLatency.record(ms, { ...model, [METRIC_LABELS.code]: code });
      predictCalls.add(1, { ...model, [METRIC_LABELS.code]: code });
    },
    featureLookup: (ms) => featureLookup.record(ms),
    outcome: (outcome: Outcome, reason: string) =>
      messages.add(1, { ...model, [METRIC_LABELS.outcome]: outcome, [METRIC_LABELS.reason]: reason }),
    endToEnd: (ms) => endToEnd.record(ms, model),
    dependencyOutage: (dependency, seconds) =>
      dependencyOutage.add(seconds, { [METRIC_LABELS.dependency]: dependency }),
  };
}

/**
 * The OTLP resource: what the GCP detector finds, overridden by what the filters rely on.
 * The Telemetry API builds the `prometheus_target` labels from the attributes `location`,
 * `namespace`, `job` and `instance` before any fallback ("v1.metrics overview", Prometheus
 * mapping), and the project from `gcp.project_id` (opentelemetry-operations-js MIGRATION.md).
 * The GCP detector recognises Cloud Run services by K_CONFIGURATION only, which a worker pool
 * does not set, so the platform and region are stated here rather than left to detection.
 */
export function workerResource(
  options: Pick<CloudMetricsOptions, "projectId" | "region" | "detectors">,
  instanceId: string,
): Resource {
  const detected = detectResources({ detectors: options.detectors ?? [gcpDetector] });
  return detected.merge(
    resourceFromAttributes({
      "gcp.project_id": options.projectId,
      "cloud.provider": "gcp",
      "cloud.platform": "gcp_cloud_run",
      "cloud.region": options.region,
      "service.name": WORKER_TELEMETRY_RESOURCE.job,
      "service.namespace": WORKER_TELEMETRY_RESOURCE.namespace,
      "service.instance.id": instanceId,
      location: options.region,
      namespace: WORKER_TELEMETRY_RESOURCE.namespace,
      job: WORKER_TELEMETRY_RESOURCE.job,
      // One series per worker process, so instances do not overwrite each other's points.
      instance: instanceId,
    }),
  );
}

/** What the exporter needs of google-auth-library: fresh request headers for each call. */
export type RequestHeaderSource = Pick<GoogleAuth, "getRequestHeaders">;

/**
 * TLS plus Google credentials as per-call credentials (the `authorization` header each call
 * carries), as in opentelemetry-operations-js MIGRATION.md "OTLP/gRPC Dynamic Auth Example".
 * Defaults to Application Default Credentials and the system's root certificates.
 */
export function googleChannelCredentials(
  auth: RequestHeaderSource = new GoogleAuth({ scopes: "https://www.googleapis.com/auth/cloud-platform" }),
  rootCerts?: Buffer,
): ChannelCredentials {
  return grpcCredentials.combineChannelCredentials(
    grpcCredentials.createSsl(rootCerts),
    grpcCredentials.createFromGoogleCredential({
      getRequestHeaders: async (url?: string) =>
        Object.fromEntries((await auth.getRequestHeaders(url)).entries()),
    }),
  );
}

export function startCloudMetrics(options: CloudMetricsOptions): CloudMetrics {
  const instanceId = `${os.hostname()}-${randomUUID().slice(0, 8)}`;
  const provider = new MeterProvider({
    resource: workerResource(options, instanceId),
    readers: [
      new PeriodicExportingMetricReader({
        // Cumulative temporality (the exporter's default): Cloud Monitoring stores CUMULATIVE series.
        exporter: new OTLPMetricExporter({
          url: options.endpoint ?? TELEMETRY_API_ENDPOINT,
          credentials: options.credentials ?? googleChannelCredentials(),
        }),
        exportIntervalMillis: options.exportIntervalMs ?? EXPORT_INTERVAL_MS,
      }),
    ],
  });
  return { telemetry: otelTelemetry(provider, options.modelId), shutdown: () => provider.shutdown() };
}
