export * from "./filters";
export * from "./burnRate";
export * from "./slos";
export * from "./alertPolicies";
export * from "./dashboard";
export * from "./observability";
export * from "./metricDescriptors";
export * from "./createObservability";
