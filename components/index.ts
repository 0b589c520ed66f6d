/** The package's public API: the building blocks of the streaming-inference platform. */
export * from "./config";
export * from "./encryption";
export * from "./network";
export * from "./messaging";
export * from "./featureStore";
export * from "./analytics";
export * from "./dataPlane";
export * from "./serving";
export * from "./workerDeployment";
export * from "./observability";
export * from "./platform";
export * from "./platformSettings";
export * from "./deprecatedNames";
