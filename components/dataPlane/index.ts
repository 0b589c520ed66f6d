export * from "./createDataPlane";
