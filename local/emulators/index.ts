export * from "./emulators";
export * from "./ports";
export * from "./prerequisites";
export * from "./processGroup";
