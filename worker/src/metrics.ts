/**
 * OpenTelemetry metrics for Cloud Monitoring: the instruments declared in
 * contract/metrics.ts, exported by the Cloud Monitoring exporter when
 * SI_METRICS_EXPORTER=cloud-monitoring (and not created at all when `none`).
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { MetricExporter } from "@google-cloud/opentelemetry-cloud-monitoring-exporter";
import type { Attributes, Counter, Histogram } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import {
  METRIC_LABELS,
  METRIC_PREFIX,
  WORKER_METRICS,
  WORKER_TELEMETRY_RESOURCE,
  type MetricDefinition,
  type Outcome,
} from "../../contract";
import type { Telemetry } from "./telemetry";

/** Cloud Monitoring accepts a point per series at most every 10 s; a minute is plenty for SLOs. */
export const EXPORT_INTERVAL_MS = 60_000;

export interface CloudMetricsOptions {
  projectId: string;
  region: string;
  modelId: string;
  exportIntervalMs?: number;
}

export interface CloudMetrics {
  telemetry: Telemetry;
  /** Exports what is pending and stops the exporter. */
  shutdown(): Promise<void>;
}

function histogram(provider: MeterProvider, metric: MetricDefinition): Histogram {
  return provider.getMeter("streaming-inference-worker").createHistogram(metric.name, {
    unit: metric.unit,
    description: metric.description,
    advice: metric.buckets ? { explicitBucketBoundaries: [...metric.buckets] } : undefined,
  });
}

function counter(provider: MeterProvider, metric: MetricDefinition): Counter {
  return provider.getMeter("streaming-inference-worker").createCounter(metric.name, {
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
  };
}

export function startCloudMetrics(options: CloudMetricsOptions): CloudMetrics {
  const provider = new MeterProvider({
    // Maps to a generic_task monitored resource: one series per worker process, so
    // instances do not overwrite each other's points.
    resource: resourceFromAttributes({
      "service.name": WORKER_TELEMETRY_RESOURCE.job,
      "service.namespace": WORKER_TELEMETRY_RESOURCE.namespace,
      "service.instance.id": `${os.hostname()}-${randomUUID().slice(0, 8)}`,
      "cloud.region": options.region,
    }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new MetricExporter({ projectId: options.projectId, prefix: METRIC_PREFIX }),
        exportIntervalMillis: options.exportIntervalMs ?? EXPORT_INTERVAL_MS,
      }),
    ],
  });
  return { telemetry: otelTelemetry(provider, options.modelId), shutdown: () => provider.shutdown() };
}
