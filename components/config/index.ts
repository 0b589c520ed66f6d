export * from "./schema";
export * from "./errors";
export * from "./load";
export * from "./namespaces";
export * from "./topology";
export * from "../../contract/gcp";
export * from "./scaling";
