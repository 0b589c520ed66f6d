export * from "./spawnWorker";
