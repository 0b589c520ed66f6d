export * from "./googleApis";
export * from "./privateNetwork";
