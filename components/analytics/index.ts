export * from "./subscriptionMetadata";
export * from "./analyticsSink";
