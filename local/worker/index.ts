export * from "./spawnWorker";
export * from "./workerGroup";
export * from "./localWorkerSettings";
