/**
 * The platform's dashboard, as the Cloud Monitoring dashboard JSON: freshness and
 * outcomes first (what users feel), then the pipeline stages (backlog, batching, model,
 * workers) that explain them. A pure function of resolved ids. Emitted as the API returns it
 * (google.monitoring.dashboard.v1.Dashboard in proto3 JSON: no default values), so it never diffs.
 */
import {
  endpointFilter,
  outcomeFilter,
  subscriptionFilter,
  workerMetricFilter,
  workerPoolFilter,
} from "./filters";
import { METRIC_LABELS } from "../../contract";

export interface DashboardInput {
  displayName: string;
  /** Freshness threshold of the SLO, seconds (drawn as a line on the latency chart). */
  freshnessThresholdSeconds: number;
  vertexLatencyP99Ms: number;
  /** GPU duty-cycle target of autoscaling, percent. */
  dutyCycleTarget: number;
  /** Region -> input subscription id (every region's, active and standby). */
  inputSubscriptions: Record<string, string>;
  /** Label -> dead-letter subscription id. */
  deadLetterSubscriptions: Record<string, string>;
  /** Region -> Vertex endpoint id. */
  endpoints: Record<string, string>;
  /** Region -> worker pool name. */
  workerPools: Record<string, string>;
}

interface DataSet {
  timeSeriesQuery: {
    timeSeriesFilter: {
      filter: string;
      aggregation: {
        alignmentPeriod: string;
        perSeriesAligner: string;
        crossSeriesReducer?: string;
        groupByFields?: string[];
      };
    };
  };
  plotType: "LINE" | "STACKED_AREA";
  legendTemplate?: string;
}

function series(
  filter: string,
  perSeriesAligner: string,
  crossSeriesReducer?: string,
  groupByFields?: string[],
  legendTemplate?: string,
): DataSet {
  return {
    timeSeriesQuery: {
      timeSeriesFilter: {
        filter,
        aggregation: {
          alignmentPeriod: "60s",
          perSeriesAligner,
          ...(crossSeriesReducer ? { crossSeriesReducer } : {}),
          // Never an empty list: the API returns none, and the difference is a diff on every `pulumi up`.
          ...(groupByFields && groupByFields.length > 0 ? { groupByFields } : {}),
        },
      },
    },
    plotType: "LINE",
    ...(legendTemplate ? { legendTemplate } : {}),
  };
}

interface Chart {
  title: string;
  dataSets: DataSet[];
  thresholds?: { value: number; label: string }[];
  yLabel?: string;
}

function tile(chart: Chart, index: number) {
  const xPos = (index % 2) * 24;
  const yPos = Math.floor(index / 2) * 16;
  // Cloud Monitoring stores the dashboard as a proto and returns proto3 JSON, which omits a 0:
  // a written `xPos: 0` would differ from what the API returns on every `pulumi up`
  // (test/components/observability/dashboardProto.test.ts round-trips it through the proto).
  return {
    ...(xPos !== 0 ? { xPos } : {}),
    ...(yPos !== 0 ? { yPos } : {}),
    width: 24,
    height: 16,
    widget: {
      title: chart.title,
      xyChart: {
        dataSets: chart.dataSets,
        ...(chart.thresholds
          ? { thresholds: chart.thresholds.map((t) => ({ ...t, targetAxis: "Y1" })) }
          : {}),
        ...(chart.yLabel ? { yAxis: { label: chart.yLabel, scale: "LINEAR" } } : {}),
      },
    },
  };
}

/** The charts, in reading order. */
export function dashboardCharts(d: DashboardInput): Chart[] {
  const perRegion = <T>(record: Record<string, T>) => Object.entries(record);
  return [
    {
      title: "End-to-end latency, event published -> prediction published (ms)",
      dataSets: ["50", "99"].map((p) =>
        series(workerMetricFilter("endToEndLatency"), "ALIGN_DELTA", `REDUCE_PERCENTILE_${p}`, [], `p${p}`),
      ),
      thresholds: [{ value: d.freshnessThresholdSeconds * 1000, label: "freshness SLO threshold" }],
      yLabel: "ms",
    },
    {
      title: "Input messages by outcome (per second)",
      dataSets: [
        series(workerMetricFilter("messages"), "ALIGN_RATE", "REDUCE_SUM", [
          `metric.label.${METRIC_LABELS.outcome}`,
        ]),
      ],
    },
    {
      title: "Dead-lettered share of outcomes",
      dataSets: [
        series(outcomeFilter("dead_lettered"), "ALIGN_RATE", "REDUCE_SUM", [], "dead-lettered / s"),
        series(outcomeFilter("predicted"), "ALIGN_RATE", "REDUCE_SUM", [], "predicted / s"),
      ],
    },
    {
      title: "Oldest unacked input message (s)",
      dataSets: perRegion(d.inputSubscriptions).map(([region, id]) =>
        series(subscriptionFilter("oldestUnackedAge", id), "ALIGN_MAX", undefined, undefined, region),
      ),
    },
    {
      title: "Messages waiting on dead-letter subscriptions",
      dataSets: perRegion(d.deadLetterSubscriptions).map(([label, id]) =>
        series(subscriptionFilter("undelivered", id), "ALIGN_MAX", undefined, undefined, label),
      ),
    },
    {
      title: "Micro-batch size (events)",
      dataSets: ["50", "95"].map((p) =>
        series(workerMetricFilter("batchSize"), "ALIGN_DELTA", `REDUCE_PERCENTILE_${p}`, [], `p${p}`),
      ),
    },
    {
      title: "Predict call latency from the worker, p99 by status (ms)",
      dataSets: [
        series(workerMetricFilter("predictLatency"), "ALIGN_DELTA", "REDUCE_PERCENTILE_99", [
          `metric.label.${METRIC_LABELS.code}`,
        ]),
      ],
    },
    {
      title: "Vertex AI predictions and errors (per second)",
      dataSets: perRegion(d.endpoints).flatMap(([region, id]) => [
        series(
          endpointFilter("predictions", id, region),
          "ALIGN_RATE",
          "REDUCE_SUM",
          [],
          `${region} predictions`,
        ),
        series(endpointFilter("errors", id, region), "ALIGN_RATE", "REDUCE_SUM", [], `${region} errors`),
      ]),
    },
    {
      title: "Vertex AI prediction latency p99 (ms)",
      dataSets: perRegion(d.endpoints).map(([region, id]) =>
        series(endpointFilter("latencies", id, region), "ALIGN_PERCENTILE_99", "REDUCE_MAX", [], region),
      ),
      thresholds: [{ value: d.vertexLatencyP99Ms, label: "alert threshold" }],
    },
    {
      title: "GPU duty cycle (%)",
      dataSets: perRegion(d.endpoints).map(([region, id]) =>
        series(endpointFilter("dutyCycle", id, region), "ALIGN_MEAN", "REDUCE_MEAN", [], region),
      ),
      thresholds: [{ value: d.dutyCycleTarget, label: "autoscaling target" }],
    },
    {
      title: "Vertex AI replicas",
      dataSets: perRegion(d.endpoints).map(([region, id]) =>
        series(endpointFilter("replicas", id, region), "ALIGN_MAX", "REDUCE_SUM", [], region),
      ),
    },
    {
      title: "Worker instances",
      dataSets: perRegion(d.workerPools).map(([region, pool]) =>
        series(workerPoolFilter(pool, region), "ALIGN_MAX", "REDUCE_SUM", [], region),
      ),
    },
  ];
}

/** The `dashboardJson` of a `gcp.monitoring.Dashboard`. Charts with no series are left out. */
export function dashboardJson(d: DashboardInput): string {
  const charts = dashboardCharts(d).filter((c) => c.dataSets.length > 0);
  return JSON.stringify({
    displayName: d.displayName,
    mosaicLayout: { columns: 48, tiles: charts.map(tile) },
  });
}
