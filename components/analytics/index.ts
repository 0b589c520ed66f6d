export * from "./subscriptionMetadata";
export * from "./analyticsSink";
export * from "./latestViews";
