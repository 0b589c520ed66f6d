/**
 * The worker pool's `scaling` block for each mode, on the GA surface of the Cloud Run v2
 * API: `WorkerPoolScaling` has one field, `manual_instance_count` (googleapis
 * google/cloud/run/v2/vendor_settings.proto). The provider's `scalingMode` and
 * `min/maxInstanceCount` (magic-modules mmv1/products/cloudrunv2/WorkerPool.yaml) are the
 * pre-GA CPU autoscaling surface and are never sent. The instance cap of a backlog-scaled
 * pool lives in CREMA's config (`maxReplicaCount`), where CREMA enforces it.
 */
import type * as gcp from "@pulumi/gcp";
import type { WorkerScaling } from "../config/scaling";
import { countToSend } from "./liveInstanceCount";

export type PoolScaling = gcp.types.input.cloudrunv2.WorkerPoolScaling;

/** The scaling fields a pool may send on the GA API, and nothing else. */
export type GaPoolScaling = Required<Pick<PoolScaling, "manualInstanceCount">>;

/**
 * `liveCount`: the count a backlog-scaled pool runs now (liveInstanceCount.ts), undefined
 * for a new pool. CREMA owns that count: a deploy sends it back (within the bounds) rather
 * than resetting it; a new pool starts at the minimum.
 */
export function poolScalingOf(s: WorkerScaling, liveCount?: number): GaPoolScaling {
  switch (s.mode) {
    case "manual":
      return { manualInstanceCount: s.instances };
    case "backlog":
      return { manualInstanceCount: countToSend(liveCount, { min: s.minInstances, max: s.maxInstances }) };
  }
}
