export * from "./model";
export * from "./server";
export * from "./settings";
export * from "./iris";
export * from "./models";
export * from "./connectivity";
