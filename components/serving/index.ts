export * from "./modelDeployment";
export * from "./endpointId";
export * from "./inferenceEndpoint";
