export * from "./model";
export * from "./server";
export * from "./settings";
export * from "./connectivity";
