/**
 * A real OTLP/gRPC metrics receiver for tests: `opentelemetry.proto.collector.metrics.v1.
 * MetricsService/Export` served by grpc-js, requests decoded with the protobuf code that
 * `@opentelemetry/otlp-transformer` generates from the official opentelemetry-proto files.
 *
 * It applies the Telemetry API's documented rules, so an exporter that breaks them is
 * caught here as Google would catch it:
 * - metric names must match `[a-zA-Z][a-zA-Z0-9_:./]*` and attribute keys
 *   `[a-zA-Z_][a-zA-Z0-9_.]*`, or the points are rejected ("OTLP metric ingestion overview",
 *   Metric and label names in the Telemetry API);
 * - each point is written against a `prometheus_target` whose labels come from the resource
 *   attributes in the documented priority order; a point with no location or no instance is
 *   rejected ("v1.metrics overview", Prometheus mapping).
 * Rejected points are answered as OTLP partial success, as the API does.
 */
import * as grpc from "@grpc/grpc-js";

/** The slices of the generated messages the tests read (toObject with enums and longs as strings/numbers). */
export interface OtlpValue {
  stringValue?: string;
  intValue?: number;
  doubleValue?: number;
  boolValue?: boolean;
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
export interface OtlpNumberPoint {
  attributes: OtlpKeyValue[];
  asDouble?: number;
  asInt?: number;
}
export interface OtlpHistogramPoint {
  attributes: OtlpKeyValue[];
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
}
export interface OtlpMetric {
  name: string;
  unit: string;
  description: string;
  sum?: { dataPoints: OtlpNumberPoint[]; aggregationTemporality: string; isMonotonic: boolean };
  gauge?: { dataPoints: OtlpNumberPoint[] };
  histogram?: { dataPoints: OtlpHistogramPoint[]; aggregationTemporality: string };
}
export interface OtlpResourceMetrics {
  resource: { attributes: OtlpKeyValue[] };
  scopeMetrics: { scope: { name: string }; metrics: OtlpMetric[] }[];
}
interface ExportRequest {
  resourceMetrics: OtlpResourceMetrics[];
}

interface Codec<T> {
  decode(buffer: Uint8Array): unknown;
  encode(message: object): { finish(): Uint8Array };
  toObject(message: unknown, options: object): T;
}
interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        metrics: {
          v1: {
            ExportMetricsServiceRequest: Codec<ExportRequest>;
            ExportMetricsServiceResponse: Codec<object>;
          };
        };
      };
    };
  };
}

// The generated static module is typed only as a protobufjs Root; this is its shape.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root") as GeneratedRoot;
const { ExportMetricsServiceRequest, ExportMetricsServiceResponse } =
  root.opentelemetry.proto.collector.metrics.v1;

/** The `prometheus_target` labels a point lands on. */
export interface PrometheusTarget {
  location: string;
  cluster: string;
  namespace: string;
  job: string;
  instance: string;
}

/** One accepted time series point, as Cloud Monitoring would store it. */
export interface ReceivedSeries {
  metric: OtlpMetric;
  resource: PrometheusTarget;
  projectId?: string;
}

export interface OtlpReceiver {
  /** `http(s)://127.0.0.1:<port>` for the exporter's `url`. */
  url: string;
  /** Every request, decoded. */
  requests: ExportRequest[];
  /** The `authorization` metadata of each request ("" when absent). */
  authorizations: string[];
  /** Metrics accepted, with the monitored resource each was written to. */
  accepted: ReceivedSeries[];
  /** Why points were rejected. */
  rejections: string[];
  close(): Promise<void>;
}

const METRIC_NAME = /^[a-zA-Z][a-zA-Z0-9_:./]*$/;
const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_.]*$/;

function attributeMap(attributes: OtlpKeyValue[]): Map<string, string> {
  return new Map(
    attributes.map((a) => [
      a.key,
      String(a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? ""),
    ]),
  );
}

function firstOf(attrs: Map<string, string>, ...keys: string[]): string {
  for (const key of keys) {
    const value = attrs.get(key);
    if (value) return value;
  }
  return "";
}

/** The documented priority order of each `prometheus_target` label ("v1.metrics overview"). */
export function prometheusTarget(attributes: OtlpKeyValue[]): PrometheusTarget {
  const attrs = attributeMap(attributes);
  const platform = attrs.get("cloud.platform");
  const serviceNamespace = attrs.get("service.namespace");
  const serviceName = attrs.get("service.name");
  return {
    location: firstOf(attrs, "location", "cloud.availability_zone", "cloud.region"),
    cluster:
      firstOf(attrs, "cluster", "k8s.cluster.name") ||
      (platform === "gcp_compute_engine" ? "__gce__" : platform === "gcp_cloud_run" ? "__run__" : ""),
    namespace: firstOf(attrs, "namespace", "k8s.namespace.name", "service.namespace"),
    job:
      attrs.get("job") ||
      (serviceNamespace && serviceName ? `${serviceNamespace}/${serviceName}` : (serviceName ?? "")),
    instance: firstOf(attrs, "instance", "service.instance.id"),
  };
}

function pointsOf(metric: OtlpMetric): { attributes: OtlpKeyValue[] }[] {
  return metric.sum?.dataPoints ?? metric.gauge?.dataPoints ?? metric.histogram?.dataPoints ?? [];
}

export interface ReceiverOptions {
  /** Serve TLS with this certificate (for 127.0.0.1) and key; plaintext otherwise. */
  tls?: { cert: Buffer; key: Buffer };
}

/** Starts a receiver on a free loopback port. */
export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const server = new grpc.Server();
  const requests: ExportRequest[] = [];
  const authorizations: string[] = [];
  const accepted: ReceivedSeries[] = [];
  const rejections: string[] = [];

  const exportMethod: grpc.MethodDefinition<ExportRequest, object> = {
    path: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
    requestStream: false,
    responseStream: false,
    requestSerialize: (value) => Buffer.from(ExportMetricsServiceRequest.encode(value).finish()),
    requestDeserialize: (bytes) =>
      ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(bytes), {
        enums: String,
        longs: Number,
        defaults: true,
        arrays: true,
      }),
    responseSerialize: (value) => Buffer.from(ExportMetricsServiceResponse.encode(value).finish()),
    responseDeserialize: (bytes) => ExportMetricsServiceResponse.decode(bytes) as object,
  };

  server.addService(
    { Export: exportMethod },
    {
      Export: (call: grpc.ServerUnaryCall<ExportRequest, object>, callback: grpc.sendUnaryData<object>) => {
        const request = call.request;
        requests.push(request);
        authorizations.push(String(call.metadata.get("authorization")[0] ?? ""));
        let rejected = 0;
        const reject = (points: number, why: string) => {
          rejected += points;
          rejections.push(why);
        };
        for (const rm of request.resourceMetrics) {
          const resource = prometheusTarget(rm.resource.attributes);
          const projectId = attributeMap(rm.resource.attributes).get("gcp.project_id");
          for (const metric of rm.scopeMetrics.flatMap((s) => s.metrics)) {
            const points = pointsOf(metric);
            if (!METRIC_NAME.test(metric.name)) {
              reject(points.length, `metric name ${metric.name} is not [a-zA-Z][a-zA-Z0-9_:./]*`);
            } else if (resource.location === "" || resource.instance === "") {
              reject(points.length, `${metric.name}: prometheus_target needs a location and an instance`);
            } else {
              const badKey = points.flatMap((p) => p.attributes).find((a) => !LABEL_KEY.test(a.key));
              if (badKey) reject(points.length, `${metric.name}: label key ${badKey.key} is not allowed`);
              else accepted.push({ metric, resource, projectId });
            }
          }
        }
        callback(
          null,
          rejected > 0
            ? { partialSuccess: { rejectedDataPoints: rejected, errorMessage: rejections.join("; ") } }
            : {},
        );
      },
    },
  );

  const serverCredentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", serverCredentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    authorizations,
    accepted,
    rejections,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
