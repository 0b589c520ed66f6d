export * from "./keyRef";
export * from "./services";
export * from "./keyPlacement";
export * from "./rotation";
export * from "./serviceAgents";
export * from "./encryption";
export * from "./keyRingName";
