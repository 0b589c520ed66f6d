/**
 * The alert policies of the platform, as plain specs built from resolved ids and the
 * configured thresholds. The component turns each into a `gcp.monitoring.AlertPolicy`.
 */
import type * as gcp from "@pulumi/gcp";
import type { BurnRateWindow } from "./burnRate";
import {
  burnRateFilter,
  endpointFilter,
  subscriptionFilter,
  workerMetricFilter,
  workerPoolFilter,
} from "./filters";

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

export interface AlertPolicySpec {
  /** Suffix of the Pulumi name (stable: never derived from which region is active). */
  key: string;
  displayName: string;
  severity: "CRITICAL" | "ERROR" | "WARNING";
  combiner: "OR" | "AND";
  conditions: Condition[];
  /** What it means and what to do (markdown). */
  documentation: string;
  enabled: boolean;
}

export interface AlertThresholds {
  oldestUnackedMessageSeconds: number;
  vertexErrorRatePercent: number;
  vertexLatencyP99Ms: number;
}

const RUNBOOK =
  'Failover runbook: README.md, section "Failover runbook", in the streaming-inference repository.';

/**
 * One burn-rate policy of an SLO: fires when the budget burns faster than `w.burnRate`
 * over both the long and the short window (fast pages, slow files a ticket).
 */
export function burnRatePolicy(
  slo: { key: string; title: string; name: string },
  w: BurnRateWindow,
): AlertPolicySpec {
  return {
    key: `${slo.key}-${w.name}-burn`,
    displayName: `${slo.title}: error budget burning ${w.burnRate}x (${w.longWindowSeconds / 3600} h)`,
    severity: w.severity,
    combiner: "AND",
    conditions: [w.longWindowSeconds, w.shortWindowSeconds].map((seconds) => ({
      displayName: `burn rate > ${w.burnRate} over ${seconds / 60} min`,
      conditionThreshold: {
        filter: burnRateFilter(slo.name, seconds),
        comparison: "COMPARISON_GT",
        thresholdValue: w.burnRate,
        duration: "0s",
        trigger: { count: 1 },
      },
    })),
    documentation:
      `The ${slo.title} SLO is burning its error budget at ${w.burnRate}x the sustainable rate over both ` +
      `${w.longWindowSeconds / 3600} h and ${w.shortWindowSeconds / 60} min. Check the dashboard: backlog, ` +
      `dead letters, Vertex errors and latency, worker instances. ${RUNBOOK}`,
    enabled: true,
  };
}

/** Backlog age of one region's input subscription; armed only while that region consumes. */
export function backlogPolicy(
  region: string,
  subscriptionId: string,
  consuming: boolean,
  t: AlertThresholds,
): AlertPolicySpec {
  return {
    key: `backlog-${region}`,
    displayName: `Input backlog in ${region}: oldest unacked message > ${t.oldestUnackedMessageSeconds} s`,
    severity: "ERROR",
    combiner: "OR",
    conditions: [
      {
        displayName: `oldest unacked message age of ${subscriptionId}`,
        conditionThreshold: {
          filter: subscriptionFilter("oldestUnackedAge", subscriptionId),
          aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
          comparison: "COMPARISON_GT",
          thresholdValue: t.oldestUnackedMessageSeconds,
          duration: "120s",
          trigger: { count: 1 },
        },
      },
    ],
    documentation:
      `The worker in ${region} is not keeping up with, or not consuming, ${subscriptionId}. Check worker ` +
      `instances and logs, Vertex latency and errors. A standby region's subscription accumulates by ` +
      `design, so this policy is enabled only while ${region} consumes. ${RUNBOOK}`,
    enabled: consuming,
  };
}

/** Any message waiting on any dead-letter subscription. */
export function deadLetterPolicy(deadLetterSubscriptions: Record<string, string>): AlertPolicySpec {
  return {
    key: "dead-letters",
    displayName: "Dead letters waiting",
    severity: "WARNING",
    combiner: "OR",
    conditions: Object.entries(deadLetterSubscriptions).map(([label, id]) => ({
      displayName: `${label}: messages on ${id}`,
      conditionThreshold: {
        filter: subscriptionFilter("undelivered", id),
        aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
        comparison: "COMPARISON_GT",
        thresholdValue: 0,
        duration: "0s",
        trigger: { count: 1 },
      },
    })),
    documentation:
      "Messages were dead-lettered: poison inputs (bad JSON, missing ids, rejected by the model) or predictions " +
      "BigQuery refused. Pull them from the dead-letter subscription, read the `error.reason` attribute, fix " +
      "the producer or the schema, and republish what is worth saving.",
    enabled: true,
  };
}

/** Share of failed Vertex predict calls on each serving endpoint. */
export function vertexErrorRatePolicy(
  endpoints: Record<string, string>,
  t: AlertThresholds,
): AlertPolicySpec {
  const sum = [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" }];
  return {
    key: "vertex-error-rate",
    displayName: `Vertex AI prediction errors > ${t.vertexErrorRatePercent}%`,
    severity: "ERROR",
    combiner: "OR",
    conditions: Object.entries(endpoints).map(([region, id]) => ({
      displayName: `error rate of endpoint ${id} (${region})`,
      conditionThreshold: {
        filter: endpointFilter("errors", id, region),
        aggregations: sum,
        denominatorFilter: endpointFilter("predictions", id, region),
        denominatorAggregations: sum,
        comparison: "COMPARISON_GT",
        thresholdValue: t.vertexErrorRatePercent / 100,
        duration: "300s",
        trigger: { count: 1 },
      },
    })),
    documentation:
      "The model endpoint fails predictions. The worker retries and then nacks, so the backlog grows. Check " +
      "the serving container's logs in Vertex AI, replica count versus maxReplicas, and GPU quota.",
    enabled: true,
  };
}

/**
 * A worker holds its work because a dependency does not answer (its circuit is open): the
 * outage counter rises for as long as it lasts. Nothing is dead-lettered meanwhile, so the
 * dead-letter alert stays quiet; this one says which dependency.
 */
export function dependencyOutagePolicy(): AlertPolicySpec {
  return {
    key: "dependency-outage",
    displayName: "Worker waiting on a dependency (circuit open)",
    severity: "ERROR",
    combiner: "OR",
    conditions: [
      {
        displayName: "seconds held for an unavailable dependency, by dependency",
        conditionThreshold: {
          filter: workerMetricFilter("dependencyOutage"),
          aggregations: [
            {
              alignmentPeriod: "60s",
              perSeriesAligner: "ALIGN_RATE",
              crossSeriesReducer: "REDUCE_SUM",
              groupByFields: ["metric.label.dependency"],
            },
          ],
          comparison: "COMPARISON_GT",
          thresholdValue: 0,
          duration: "120s",
          trigger: { count: 1 },
        },
      },
    ],
    documentation:
      "Workers stopped pulling and hold their messages because a dependency does not answer (the label " +
      "`dependency`: model, predictions_topic, dead_letter_topic or feature_store). Their logs say why (" +
      '"circuit open"), and /readyz\'s detail lists the open circuits. Messages wait on Pub/Sub and are ' +
      "not dead-lettered; they are predicted once the dependency answers. Check the endpoint, the topics, " +
      "the Bigtable instance and table, and the worker's IAM grants.",
    enabled: true,
  };
}

/** p99 Vertex prediction latency on each serving endpoint. */
export function vertexLatencyPolicy(endpoints: Record<string, string>, t: AlertThresholds): AlertPolicySpec {
  return {
    key: "vertex-latency",
    displayName: `Vertex AI prediction latency p99 > ${t.vertexLatencyP99Ms} ms`,
    severity: "WARNING",
    combiner: "OR",
    conditions: Object.entries(endpoints).map(([region, id]) => ({
      displayName: `p99 latency of endpoint ${id} (${region})`,
      conditionThreshold: {
        filter: endpointFilter("latencies", id, region),
        aggregations: [
          {
            alignmentPeriod: "300s",
            perSeriesAligner: "ALIGN_PERCENTILE_99",
            crossSeriesReducer: "REDUCE_MAX",
          },
        ],
        comparison: "COMPARISON_GT",
        thresholdValue: t.vertexLatencyP99Ms,
        duration: "300s",
        trigger: { count: 1 },
      },
    })),
    documentation:
      "Predictions are slow. Check GPU duty cycle (at the autoscaling target, replicas should be rising; at " +
      "maxReplicas, raise it) and the batch size (larger batches take longer per call).",
    enabled: true,
  };
}

/** A worker pool with no running instance: nothing consumes. Absent series count as zero. */
export function workerDownPolicy(workerPools: Record<string, string>): AlertPolicySpec {
  return {
    key: "worker-down",
    displayName: "Worker pool has no running instance",
    severity: "CRITICAL",
    combiner: "OR",
    conditions: Object.entries(workerPools).flatMap(([region, pool]): Condition[] => [
      {
        displayName: `${pool} instances < 1`,
        conditionThreshold: {
          filter: workerPoolFilter(pool, region),
          aggregations: [
            { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM" },
          ],
          comparison: "COMPARISON_LT",
          thresholdValue: 1,
          duration: "300s",
          trigger: { count: 1 },
        },
      },
      {
        // With no instance there may be no series at all: absence is the same failure.
        displayName: `${pool} reports no instance count`,
        conditionAbsent: {
          filter: workerPoolFilter(pool, region),
          aggregations: [
            { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX", crossSeriesReducer: "REDUCE_SUM" },
          ],
          duration: "600s",
          trigger: { count: 1 },
        },
      },
    ]),
    documentation:
      "No worker runs, so no event is predicted. Check the worker pool's revisions and logs (a crash loop on " +
      `bad configuration names the variable) and its manual instance count. ${RUNBOOK}`,
    enabled: true,
  };
}
