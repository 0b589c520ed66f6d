export * from "./googleApis";
export * from "./privateNetwork";
export * from "./dnsShadowing";
