export * from "./modelDeployment";
export * from "./provider";
export * from "./spec";
export * from "./operations";
export type { VertexApi, VertexApiFactory, PendingOperation } from "./vertexApi";
export * from "./servingAddress";
export * from "./readDeployment";
export * from "./packageResource";
