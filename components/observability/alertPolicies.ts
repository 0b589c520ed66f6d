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
import { alertDocumentation } from "./runbooks";

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
  /** Base URL of docs/runbooks.md that each policy's documentation links into (runbooks.ts). */
  runbookBaseUrl?: string;
}

/**
 * One burn-rate policy of an SLO: fires when the budget burns faster than `w.burnRate`
 * over both the long and the short window (fast pages, slow files a ticket).
 */
export function burnRatePolicy(
  slo: { key: "freshness" | "correctness"; title: string; name: string },
  w: BurnRateWindow,
  runbookBaseUrl?: string,
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
    documentation: alertDocumentation(
      `${slo.key}-burn`,
      {
        fired:
          `the ${slo.title} SLO is burning its error budget at ${w.burnRate}x the sustainable rate over both ` +
          `${w.longWindowSeconds / 3600} h and ${w.shortWindowSeconds / 60} min.`,
        checkFirst:
          slo.key === "freshness"
            ? "the dashboard's backlog age and worker instances, then Vertex latency: late predictions come from a backlog."
            : "the dead-letter subscriptions (the `error.reason` attribute) and Vertex errors: wrong outcomes are dead letters.",
        act:
          slo.key === "freshness"
            ? "follow the backlog, worker or endpoint runbook the dashboard points at; if the active region is down, fail over."
            : "fix the producer or the model for the dominant reason, then replay what is worth saving (`npm run replay-dlq`).",
      },
      runbookBaseUrl,
    ),
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
    documentation: alertDocumentation(
      "backlog",
      {
        fired:
          `the oldest unacked message on ${subscriptionId} (${region}) is older than ${t.oldestUnackedMessageSeconds} s: ` +
          `the worker is not keeping up, or not consuming. (A standby region's subscription fills by design; ` +
          `this policy is armed only while ${region} consumes.)`,
        checkFirst: `worker instances in ${region} (at max?), then Vertex AI latency and errors, then the worker's logs.`,
        act: "raise the worker pool's or the endpoint's maxima if they are pinned; fix a failing model; fail over if the region is down.",
      },
      t.runbookBaseUrl,
    ),
    enabled: consuming,
  };
}

/** Any message waiting on any dead-letter subscription. */
export function deadLetterPolicy(
  deadLetterSubscriptions: Record<string, string>,
  runbookBaseUrl?: string,
): AlertPolicySpec {
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
    documentation: alertDocumentation(
      "dead-letters",
      {
        fired:
          "messages are waiting on a dead-letter subscription: poison inputs (bad JSON, missing ids, rejected by the " +
          "model) or predictions BigQuery refused.",
        checkFirst:
          "which subscription, and the `error.reason` attribute of a few letters (`npm run replay-dlq -- --stack <stack> --dry-run` lists them by reason).",
        act: "fix the producer, the model or the schema, then republish what is worth saving with `npm run replay-dlq`.",
      },
      runbookBaseUrl,
    ),
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
    documentation: alertDocumentation(
      "vertex-error-rate",
      {
        fired: `more than ${t.vertexErrorRatePercent}% of predict calls to the model endpoint fail; the worker retries, then nacks, so the backlog grows.`,
        checkFirst:
          "the serving container's logs in Vertex AI, then the replica count against maxReplicas and the GPU quota.",
        act: "roll back a bad model version; raise maxReplicas or the GPU quota if the endpoint is saturated.",
      },
      t.runbookBaseUrl,
    ),
    enabled: true,
  };
}

/**
 * A worker holds its work because a dependency does not answer (its circuit is open): the
 * outage counter rises for as long as it lasts. Nothing is dead-lettered meanwhile, so the
 * dead-letter alert stays quiet; this one says which dependency.
 */
export function dependencyOutagePolicy(runbookBaseUrl?: string): AlertPolicySpec {
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
    documentation: alertDocumentation(
      "dependency-outage",
      {
        fired:
          "workers stopped pulling and hold their messages because a dependency does not answer (label `dependency`: " +
          "model, predictions_topic, dead_letter_topic or feature_store). Messages wait on Pub/Sub and are not " +
          "dead-lettered; they are predicted once the dependency answers.",
        checkFirst:
          "the workers' logs (\"circuit open\" says why) and /readyz's detail (the open circuits), then the named " +
          "dependency: the endpoint, the topics, the Bigtable instance and table, the worker's IAM grants.",
        act: "restore the dependency (or fail over if its region is down); the workers resume by themselves.",
      },
      runbookBaseUrl,
    ),
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
    documentation: alertDocumentation(
      "vertex-latency",
      {
        fired: `the model endpoint's p99 prediction latency is above ${t.vertexLatencyP99Ms} ms.`,
        checkFirst:
          "GPU duty cycle against the autoscaling target and the replica count against maxReplicas, then the worker's batch size.",
        act: "raise maxReplicas if pinned; lower worker.maxBatchSize if calls are large; roll back a slower model version.",
      },
      t.runbookBaseUrl,
    ),
    enabled: true,
  };
}

/** A worker pool with no running instance: nothing consumes. Absent series count as zero. */
export function workerDownPolicy(
  workerPools: Record<string, string>,
  runbookBaseUrl?: string,
): AlertPolicySpec {
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
    documentation: alertDocumentation(
      "worker-down",
      {
        fired:
          "a worker pool has had no running instance for 5 minutes (or reports none for 10): nothing is predicted there.",
        checkFirst:
          "the worker pool's revisions and logs (a crash loop on bad configuration names the variable), then its instance count.",
        act: "fix and redeploy the configuration, or roll back the image; if the region is down, fail over.",
      },
      runbookBaseUrl,
    ),
    enabled: true,
  };
}
