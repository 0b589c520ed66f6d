export * from "./settings";
export * from "./deadLetterTopic";
export * from "./messageChannel";
