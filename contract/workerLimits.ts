/**
 * The worker's limits, defaults and enumerations that the stack config checks too, so the
 * config model and the worker's own parser accept the same values.
 */
import { enumValues } from "./enums";

/** Ranges of the worker settings the stack config and the worker's environment parser both check. */
export const WORKER_LIMITS = {
  predictTimeoutMs: { min: 100, max: 600_000 },
  /** 0 turns the hot-entity feature cache off. */
  featureCacheTtlMs: { min: 0, max: 3_600_000 },
} as const;

/** Defaults of the worker settings above that are not batching settings (BATCHING_DEFAULTS). */
export const WORKER_DEFAULTS = {
  featureCacheTtlMs: 0,
} as const;

/** Pub/Sub accepts ack deadlines of 10-600 s (Subscription.ack_deadline_seconds, google/pubsub/v1/pubsub.proto). */
export const ACK_DEADLINE_LIMITS = { min: 10, max: 600 } as const;

/** The port the deployed worker serves /healthz and /readyz on (the container's probes use it). */
export const WORKER_HEALTH_PORT = 8080;

/** The worker's log levels (`as const` objects: the form Pulumi's schema analyzer reads as enums). */
export const WorkerLogLevel = { Debug: "debug", Info: "info", Warn: "warn", Error: "error" } as const;
export type WorkerLogLevel = (typeof WorkerLogLevel)[keyof typeof WorkerLogLevel];

/** Where the worker sends its metrics. */
export const MetricsExporter = { CloudMonitoring: "cloud-monitoring", None: "none" } as const;
export type MetricsExporter = (typeof MetricsExporter)[keyof typeof MetricsExporter];

export const LOG_LEVELS = enumValues(WorkerLogLevel);
export const METRICS_EXPORTERS = enumValues(MetricsExporter);
