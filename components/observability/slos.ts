/**
 * The two SLOs of the platform as request-based SLIs over the worker's own metrics:
 * freshness (a distribution cut of end-to-end latency) and correctness (predicted
 * versus dead-lettered outcomes).
 */
import type * as gcp from "@pulumi/gcp";
import { OUTCOMES } from "../../contract";
import { outcomeFilter, workerMetricFilter } from "./filters";

export interface SloGoals {
  /** Share of predictions from events no older than `freshnessThresholdSeconds` (0-1). */
  freshnessGoal: number;
  freshnessThresholdSeconds: number;
  /** Share of finished events that are predicted rather than dead-lettered (0-1). */
  correctnessGoal: number;
}

export interface SloSpec {
  key: "freshness" | "correctness";
  /** Short name, e.g. "Freshness". */
  name: string;
  title: string;
  goal: number;
  sli: gcp.types.input.monitoring.SloRequestBasedSli;
}

export function sloSpecs(goals: SloGoals): SloSpec[] {
  return [
    {
      key: "freshness",
      name: "Freshness",
      title: `Freshness: ${goals.freshnessGoal * 100}% of predictions within ${goals.freshnessThresholdSeconds} s of their event`,
      goal: goals.freshnessGoal,
      sli: {
        distributionCut: {
          distributionFilter: workerMetricFilter("endToEndLatency"),
          // The histogram is in ms; a bucket bound sits exactly at 180 000 ms (contract/metrics.ts).
          range: { min: 0, max: goals.freshnessThresholdSeconds * 1000 },
        },
      },
    },
    {
      key: "correctness",
      name: "Correctness",
      title: `Correctness: at most ${+((1 - goals.correctnessGoal) * 100).toFixed(3)}% of events dead-lettered`,
      goal: goals.correctnessGoal,
      sli: {
        // good + bad = total: nacked messages are retried and end in one of these two.
        goodTotalRatio: {
          goodServiceFilter: outcomeFilter(OUTCOMES.predicted),
          badServiceFilter: outcomeFilter(OUTCOMES.deadLettered),
        },
      },
    },
  ];
}
