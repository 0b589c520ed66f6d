export * from "./apis";
export * from "./projectApis";
