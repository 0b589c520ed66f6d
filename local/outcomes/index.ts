export * from "./collector";
export * from "./percentiles";
export * from "./format";
