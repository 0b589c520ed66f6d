import { describe, expect, it } from "vitest";
// The worker's own copy of the SDK (2.x); the root holds an older one for other packages.
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "../../worker/node_modules/@opentelemetry/sdk-metrics";
import { METRIC_LABELS, metricType, WORKER_METRICS } from "../../contract";
import { otelTelemetry } from "../../worker/src/metrics";

describe("worker metrics", () => {
  it("records under the contract's metric types, units, buckets and labels", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const telemetry = otelTelemetry(provider, "fraud-v1");

    telemetry.batch(50);
    telemetry.predictCall(31, "OK");
    telemetry.predictCall(12, "UNAVAILABLE");
    telemetry.outcome("predicted", "ok");
    telemetry.outcome("dead_lettered", "no_features");
    telemetry.endToEnd(170_000);
    telemetry.endToEnd(190_000);
    await reader.forceFlush();

    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const byName = new Map(metrics.map((m) => [m.descriptor.name, m]));
    for (const def of [
      WORKER_METRICS.batchSize,
      WORKER_METRICS.predictLatency,
      WORKER_METRICS.predictCalls,
      WORKER_METRICS.messages,
      WORKER_METRICS.endToEndLatency,
    ]) {
      expect(byName.get(metricType(def))?.descriptor.unit, def.name).toBe(def.unit);
    }

    const endToEnd = byName.get(metricType(WORKER_METRICS.endToEndLatency));
    expect(endToEnd?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = endToEnd?.dataPoints[0];
    expect(point?.attributes).toEqual({ [METRIC_LABELS.modelId]: "fraud-v1" });
    const histogram = point?.value as { buckets: { boundaries: number[]; counts: number[] } };
    expect(histogram.buckets.boundaries).toEqual([...WORKER_METRICS.endToEndLatency.buckets]);
    // The freshness SLO's 3-minute threshold is a bucket bound: one point on each side.
    const at3min = histogram.buckets.boundaries.indexOf(180_000);
    expect(histogram.buckets.counts[at3min]).toBe(1);
    expect(histogram.buckets.counts[at3min + 1]).toBe(1);

    const outcomes = byName
      .get(metricType(WORKER_METRICS.messages))
      ?.dataPoints.map((p) => [p.attributes, p.value]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        [{ model_id: "fraud-v1", outcome: "predicted", reason: "ok" }, 1],
        [{ model_id: "fraud-v1", outcome: "dead_lettered", reason: "no_features" }, 1],
      ]),
    );
    expect(metricType(WORKER_METRICS.endToEndLatency)).toBe(
      "workload.googleapis.com/streaming_inference/end_to_end_latency",
    );
    await provider.shutdown();
  });
});
