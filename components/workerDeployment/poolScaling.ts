/**
 * The worker pool's `scaling` block for each mode (Cloud Run v2 `WorkerPoolScaling`;
 * @pulumi/gcp 9.37: scalingMode AUTOMATIC | MANUAL, min/max/manualInstanceCount).
 * Every mode sets `maxInstanceCount`, the cap the guardrails require.
 */
import type * as gcp from "@pulumi/gcp";
import { instanceCap, type WorkerScaling } from "../config/scaling";

export type PoolScaling = gcp.types.input.cloudrunv2.WorkerPoolScaling;

export function poolScalingOf(s: WorkerScaling): PoolScaling {
  switch (s.mode) {
    case "manual":
      return { scalingMode: "MANUAL", manualInstanceCount: s.instances, maxInstanceCount: instanceCap(s) };
    case "cpu":
      // Cloud Run's own autoscaler: average CPU towards its 60 % target, between min and max.
      return { scalingMode: "AUTOMATIC", minInstanceCount: s.minInstances, maxInstanceCount: s.maxInstances };
    case "backlog":
      // CREMA sets the manual count; it starts at the minimum and Pulumi ignores it afterwards.
      return { scalingMode: "MANUAL", manualInstanceCount: s.minInstances, maxInstanceCount: s.maxInstances };
  }
}
