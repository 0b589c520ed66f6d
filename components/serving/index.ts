export * from "./modelDeployment";
export * from "./endpointId";
export * from "./inferenceEndpoint";
export * from "./endpointAccess";
export * from "./createServing";
