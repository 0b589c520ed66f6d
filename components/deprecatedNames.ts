/**
 * Former names of renamed public types, kept so existing consumers still compile.
 * Each concept now has one name (issue 13); these go in the next major version.
 */
import type { WorkerPoolConfig } from "./config";
import type { InferenceWorkerSettings } from "./workerDeployment";

/** @deprecated Use `InferenceWorkerSettings` (what one region's worker is told). */
export type WorkerSettings = InferenceWorkerSettings;
/** @deprecated Use `WorkerPoolConfig` (the validated `worker` section of the stack config). */
export type WorkerConfig = WorkerPoolConfig;
