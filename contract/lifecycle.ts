/**
 * The worker's lifecycle signals, as the processes that run it read them. The worker writes
 * one JSON object per line on stdout (Cloud Logging's structured-log shape, the text under
 * `message`); the local runner, the benchmarks and the chaos runs wait for the "started" line
 * and take the batch counters from the "drained" line. The worker, the benchmark's null worker
 * and the runner all use these names, so renaming a message cannot silently break a reader.
 */

/** The key of a log line's text (`messageKey` of the worker's logger). */
export const LOG_MESSAGE_KEY = "message";

/** The messages that mark the worker's lifecycle. */
export const WORKER_LIFECYCLE = {
  /** Logged once the worker is pulling (and /readyz answers 200). */
  started: "worker started",
  /** Logged last on a graceful stop, with the final counters under `stats`. */
  drained: "drained",
} as const;

/** The counters the "drained" line carries under `stats` that its readers use. */
export interface WorkerFinalStats {
  /** Batch size -> number of batches of that size. */
  batchSizes: Record<string, number>;
  /** Input messages by final outcome. */
  outcomes?: Record<string, number>;
  /** Dead-lettered messages by `error.reason`. */
  deadLetterReasons?: Record<string, number>;
  /** Nacked messages by cause. */
  nackCauses?: Record<string, number>;
  /** Predict calls by gRPC status name. */
  predictCalls?: Record<string, number>;
  /** Most messages the Pub/Sub client held under lease at once (sampled every second). */
  peakLeased?: number;
}

export type WorkerLifecycleEvent =
  { event: "started" } | { event: "drained"; stats: WorkerFinalStats | undefined };

/** The lifecycle event a worker's stdout line reports, if any (other lines and non-JSON: undefined). */
export function parseLifecycleLine(line: string): WorkerLifecycleEvent | undefined {
  // Cheap test first: the runner sees every line the worker writes.
  if (
    !line.startsWith("{") ||
    !(line.includes(WORKER_LIFECYCLE.started) || line.includes(WORKER_LIFECYCLE.drained))
  ) {
    return undefined;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const message = parsed[LOG_MESSAGE_KEY];
  if (message === WORKER_LIFECYCLE.started) return { event: "started" };
  if (message === WORKER_LIFECYCLE.drained)
    return { event: "drained", stats: parsed.stats as WorkerFinalStats | undefined };
  return undefined;
}
