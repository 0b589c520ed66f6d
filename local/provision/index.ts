export * from "./features";
export * from "./messaging";
