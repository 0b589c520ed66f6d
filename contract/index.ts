export * from "./names";
export * from "./messages";
export * from "./workerEnv";
export * from "./settings";
export * from "./metrics";
export * from "./hash";
export * from "./json";
export * from "./modelIo";
