export * from "./spawnWorker";
export * from "./workerGroup";
