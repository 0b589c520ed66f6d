/** The local platform as a library (local/README.md, "As a library"); `npm start` is local/start.ts. */
export * from "./clients/clients";
export * from "./emulators";
export * from "./lifecycle/stopSignals";
export * from "./load";
export * from "./outcomes";
export * from "./platform";
export * from "./provision";
export * from "./report/machineLoad";
export * from "./run/runLoad";
export * from "./vertex";
export * from "./worker";
export * from "./connectivityOption";
