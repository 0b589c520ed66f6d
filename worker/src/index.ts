/**
 * The worker's programmatic API (the local runner, benchmarks and tests start it in-process).
 * The process entry point is `main.ts`.
 */
export { loadWorkerConfig, parseVertexApiEndpoint, WorkerConfigError } from "./config";
export type { VertexApiEndpoint, WorkerRuntimeConfig } from "./config";
/** @deprecated Use `WorkerRuntimeConfig` (the worker process's config; the stack section is `WorkerPoolConfig`). */
export type { WorkerRuntimeConfig as WorkerConfig } from "./config";
export { startWorker, subscriberOptions } from "./worker";
export type { DrainReport, RunningWorker, WorkerDeps, WorkerSnapshot } from "./worker";
export type { WorkerStats } from "./stats";
export type { FeatureRows, FeatureSource } from "./enrich";
export type { Predictor } from "./predictor";
export { ModelAnswerError, validatePredictions } from "./predictionSpec";
export type { CheckedPrediction } from "./predictionSpec";
export type { OutgoingMessage, OutputPublisher } from "./publisher";
export type { Telemetry } from "./telemetry";
export { createLogger, silentLogger } from "./logger";
export { Pipeline } from "./pipeline";
export type { InputMessage, PipelineDeps, PipelineSettings } from "./pipeline";
