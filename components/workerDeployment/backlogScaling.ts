/**
 * What the backlog autoscaler (CREMA) decides in one polling cycle, so a user can
 * predict it. The same arithmetic as CREMA's scaler, read from its source
 * (GoogleCloudPlatform/cloud-run-external-metrics-autoscaling, scaler/src/main/java/
 * com/google/cloud/run/crema/):
 * 1. KEDA's gcp-pubsub scaler reads `subscription/num_undelivered_messages` and targets an
 *    average value per instance, so the recommendation is `ceil(backlog / target)`
 *    (TargetAverageValueScaling.makeRecommendation).
 * 2. The HPA behaviour bounds it (ScalingStabilizer): a scale-down goes no lower than the
 *    highest recommendation within the cooldown window (`scaleDown.stabilizationWindowSeconds`);
 *    a scale-up adds at most max(100 %, 4 instances) per 15 s (HPA's default policies,
 *    which the config renders explicitly); from 0 instances the first step is 1.
 * 3. The result is clamped to [minInstances, maxInstances] (Scaler.getBoundedRecommendation).
 */

/** HPA's default scale-up policies (metric-provider/internal/config/provider.go): per period, select max. */
export const SCALE_UP_POLICY = { percent: 100, instances: 4, periodSeconds: 15 } as const;
/** Scale-down rate policy the config renders (CREMA's default): up to 100 % per 15 s, i.e. no rate limit. */
export const SCALE_DOWN_POLICY = { percent: 100, periodSeconds: 15 } as const;

export interface BacklogScalingInput {
  /** Undelivered messages on the subscription (the metric value). >= 0. */
  backlog: number;
  /** Undelivered messages one instance should carry. > 0. */
  targetBacklogPerInstance: number;
  /** The pool's instance count now. */
  currentInstances: number;
  minInstances: number;
  maxInstances: number;
  /** Recommendations of earlier cycles still inside the cooldown window. Defaults to none. */
  recentRecommendations?: readonly number[];
  /** Instance count at the start of the last scale-up period (15 s). Defaults to `currentInstances`. */
  instancesAtPeriodStart?: number;
}

/** `ceil(backlog / target)`: the unbounded recommendation of KEDA's average-value target. */
export function recommendedInstances(backlog: number, targetBacklogPerInstance: number): number {
  if (!(targetBacklogPerInstance > 0)) throw new RangeError("targetBacklogPerInstance must be > 0");
  return Math.ceil(Math.max(0, backlog) / targetBacklogPerInstance);
}

/** The largest count one scale-up period allows, starting from `start` instances. */
export function scaleUpLimit(start: number): number {
  return Math.max(Math.ceil(start * (1 + SCALE_UP_POLICY.percent / 100)), start + SCALE_UP_POLICY.instances);
}

/** The instance count CREMA sets after one cycle. */
export function nextInstanceCount(input: BacklogScalingInput): number {
  const { currentInstances: current, minInstances, maxInstances } = input;
  const recommended = recommendedInstances(input.backlog, input.targetBacklogPerInstance);
  let next = recommended;
  if (current === 0 && recommended > 0) {
    next = 1;
  } else if (recommended > current) {
    next = Math.min(recommended, scaleUpLimit(input.instancesAtPeriodStart ?? current));
  } else if (recommended < current) {
    const highestInWindow = Math.max(recommended, ...(input.recentRecommendations ?? []));
    next = Math.max(recommended, Math.min(current, highestInWindow));
  }
  return Math.min(Math.max(next, minInstances), maxInstances);
}
