/** Defaults of the feature store: the stack config's `featureStore` section and `FeatureStore` both apply them. */
export const FEATURE_STORE_DEFAULTS = {
  minNodes: 1,
  maxNodes: 3,
  cpuTargetPercent: 60,
  storageType: "SSD",
  /** Feature cells older than this are garbage-collected. */
  featureMaxAgeDays: 30,
} as const;
