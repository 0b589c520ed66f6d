/** Defaults of the analytics sink: the stack config's `analytics` section and `AnalyticsSink` both apply them. */
export const ANALYTICS_DEFAULTS = {
  partitionExpirationDays: 400,
} as const;
