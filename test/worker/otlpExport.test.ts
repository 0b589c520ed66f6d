/**
 * The worker's OTLP export, end to end over gRPC: the real OTLP exporter of
 * worker/src/metrics.ts against a real OTLP receiver (otlpReceiver.ts) that applies the
 * Telemetry API's naming and resource rules. Asserts what the SLOs, alerts and dashboard
 * filter on: metric types, units, kinds, label keys and the monitored resource's labels.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRIC_PREFIX, WORKER_METRICS, WORKER_TELEMETRY_RESOURCE, metricType } from "../../contract";
import { dashboardCharts, sloSpecs } from "../../components/observability";
import { googleChannelCredentials, startCloudMetrics } from "../../worker/src/metrics";
import { startOtlpReceiver, type OtlpKeyValue, type OtlpReceiver, type ReceivedSeries } from "./otlpReceiver";

// No metadata-server probe: the GCP detector then finds nothing and the explicit attributes stand.
process.env.METADATA_SERVER_DETECTION ??= "none";

let receiver: OtlpReceiver;
let series: ReceivedSeries[];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const metrics = startCloudMetrics({
    projectId: "acme-ml-prod",
    region: "us-central1",
    modelId: "fraud-v1",
    endpoint: receiver.url,
    credentials: grpc.credentials.createInsecure(),
  });
  const t = metrics.telemetry;
  t.batch(50);
  t.predictCall(31, "OK");
  t.predictCall(12, "UNAVAILABLE");
  t.featureLookup(3);
  t.outcome("predicted", "ok");
  t.outcome("dead_lettered", "no_features");
  t.endToEnd(170_000);
  t.endToEnd(190_000);
  t.dependencyOutage?.("model", 2.5);
  // Shutdown flushes: one export over gRPC.
  await metrics.shutdown();
  series = receiver.accepted;
});

afterAll(async () => {
  await receiver?.close();
});

const byType = (type: string) => series.find((s) => s.metric.name === type);
const keys = (attributes: OtlpKeyValue[]) => attributes.map((a) => a.key).sort();

/** Every `metric.type` and `metric.label.*` the platform's filters name, per metric type. */
function filteredMetrics(): Map<string, Set<string>> {
  const filters = [
    ...sloSpecs({ freshnessGoal: 0.9, freshnessThresholdSeconds: 180, correctnessGoal: 0.995 }).flatMap(
      (s) => JSON.stringify(s.sli).match(/metric\.type=\\"[^\\]+\\"[^"]*/g) ?? [],
    ),
    ...dashboardCharts({
      displayName: "d",
      freshnessThresholdSeconds: 180,
      vertexLatencyP99Ms: 1000,
      dutyCycleTarget: 60,
      inputSubscriptions: {},
      deadLetterSubscriptions: {},
      endpoints: {},
      workerPools: {},
    }).flatMap((c) => c.dataSets.map((d) => d.timeSeriesQuery.timeSeriesFilter.filter)),
  ].map((f) => f.replace(/\\"/g, '"'));
  const out = new Map<string, Set<string>>();
  for (const filter of filters) {
    const type = /metric\.type="([^"]+)"/.exec(filter)?.[1];
    if (!type?.startsWith(`${METRIC_PREFIX}/`)) continue;
    const labels = out.get(type) ?? new Set<string>();
    for (const m of filter.matchAll(/metric\.label\.([A-Za-z0-9_]+)/g)) labels.add(m[1] as string);
    out.set(type, labels);
  }
  return out;
}

describe("worker metrics over OTLP", () => {
  it("are accepted whole by a receiver that applies the Telemetry API's rules", () => {
    expect(receiver.rejections).toEqual([]);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(1);
    expect(series.map((s) => s.metric.name).sort()).toEqual(
      Object.values(WORKER_METRICS).map(metricType).sort(),
    );
  });

  it("land on the prometheus_target the filters select, in the worker's project", () => {
    for (const s of series) {
      expect(s.resource).toMatchObject({
        location: "us-central1",
        cluster: "__run__",
        namespace: WORKER_TELEMETRY_RESOURCE.namespace,
        job: WORKER_TELEMETRY_RESOURCE.job,
      });
      expect(s.resource.instance).not.toBe("");
      expect(s.projectId).toBe("acme-ml-prod");
    }
  });

  it("carry the contract's unit, kind and label keys for every metric", () => {
    for (const def of Object.values(WORKER_METRICS)) {
      const s = byType(metricType(def));
      expect(s?.metric.unit, def.name).toBe(def.unit);
      if (def.kind === "histogram") {
        expect(s?.metric.histogram?.aggregationTemporality).toBe("AGGREGATION_TEMPORALITY_CUMULATIVE");
        for (const p of s?.metric.histogram?.dataPoints ?? []) {
          expect(p.explicitBounds).toEqual([...(def.buckets ?? [])]);
          expect(keys(p.attributes)).toEqual([...def.labels].sort());
        }
      } else {
        expect(s?.metric.sum).toMatchObject({
          aggregationTemporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
          isMonotonic: true,
        });
        for (const p of s?.metric.sum?.dataPoints ?? [])
          expect(keys(p.attributes)).toEqual([...def.labels].sort());
      }
    }
  });

  it("include every worker metric and label the SLOs and the dashboard filter on", () => {
    const filtered = filteredMetrics();
    expect([...filtered.keys()]).toContain(metricType(WORKER_METRICS.endToEndLatency));
    expect([...filtered.keys()]).toContain(metricType(WORKER_METRICS.messages));
    for (const [type, labels] of filtered) {
      const s = byType(type);
      expect(s, type).toBeDefined();
      const points = s?.metric.histogram?.dataPoints ?? s?.metric.sum?.dataPoints ?? [];
      for (const label of labels) {
        expect(
          points.every((p) => p.attributes.some((a) => a.key === label)),
          `${type} ${label}`,
        ).toBe(true);
      }
    }
  });

  it("put the freshness threshold on a bucket bound: one event on each side of 3 minutes", () => {
    const point = byType(metricType(WORKER_METRICS.endToEndLatency))?.metric.histogram?.dataPoints[0];
    const at3min = point?.explicitBounds.indexOf(180_000) ?? -1;
    expect(at3min).toBeGreaterThan(0);
    expect(point?.bucketCounts[at3min]).toBe(1);
    expect(point?.bucketCounts[at3min + 1]).toBe(1);
  });

  it("count outcomes by outcome and reason", () => {
    const points = byType(metricType(WORKER_METRICS.messages))?.metric.sum?.dataPoints ?? [];
    const flat = points.map((p) => [
      Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue])),
      p.asDouble,
    ]);
    expect(flat).toEqual(
      expect.arrayContaining([
        [{ model_id: "fraud-v1", outcome: "predicted", reason: "ok" }, 1],
        [{ model_id: "fraud-v1", outcome: "dead_lettered", reason: "no_features" }, 1],
      ]),
    );
  });
});

describe("worker metrics over OTLP with Google credentials", () => {
  it("send each export over TLS with the bearer token google-auth-library hands out for that call", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "otlp-tls-"));
    try {
      // A self-signed certificate for 127.0.0.1: the channel is real TLS, as to telemetry.googleapis.com.
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          "key.pem",
          "-out",
          "cert.pem",
        ]),
        { cwd: dir, stdio: "ignore" },
      );
      const cert = fs.readFileSync(path.join(dir, "cert.pem"));
      const tlsReceiver = await startOtlpReceiver({
        tls: { cert, key: fs.readFileSync(path.join(dir, "key.pem")) },
      });
      let calls = 0;
      // The slice of GoogleAuth the exporter uses; a new token per call, as a refreshing client would.
      const auth = {
        getRequestHeaders: async () => new Headers({ authorization: `Bearer token-${++calls}` }),
      };
      const metrics = startCloudMetrics({
        projectId: "acme-ml-prod",
        region: "us-central1",
        modelId: "fraud-v1",
        endpoint: tlsReceiver.url,
        credentials: googleChannelCredentials(auth, cert),
      });
      metrics.telemetry.outcome("predicted", "ok");
      await metrics.shutdown();
      await tlsReceiver.close();
      expect(tlsReceiver.rejections).toEqual([]);
      expect(tlsReceiver.authorizations.length).toBeGreaterThanOrEqual(1);
      expect(tlsReceiver.authorizations.every((a) => /^Bearer token-\d+$/.test(a))).toBe(true);
      expect(tlsReceiver.accepted.map((s) => s.metric.name)).toContain(metricType(WORKER_METRICS.messages));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
