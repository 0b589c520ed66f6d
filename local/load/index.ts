export * from "./events";
export * from "./publishLoad";
