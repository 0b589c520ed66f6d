export * from "./clusterIds";
export * from "./featureStore";
