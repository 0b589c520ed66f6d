export * from "./workerEnvironment";
export * from "./workerImage";
export * from "./workerAccess";
export * from "./inferenceWorker";
export * from "./regionCode";
export * from "./heapLimit";
