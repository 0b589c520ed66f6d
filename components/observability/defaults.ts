/** Defaults of the SLO goals and alert thresholds: the stack config's `alerts` section applies them. */
export const ALERTS_DEFAULTS = {
  /** Share of predictions that must come from fresh events. */
  freshnessGoal: 0.9,
  /** An event is fresh if predicted within this many seconds of its publish time. */
  freshnessThresholdSeconds: 180,
  /** Share of events that must not be dead-lettered. */
  correctnessGoal: 0.995,
  oldestUnackedMessageSeconds: 300,
  vertexErrorRatePercent: 5,
  vertexLatencyP99Ms: 1000,
} as const;
