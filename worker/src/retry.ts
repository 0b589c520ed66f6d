/**
 * Retrying calls that failed for a transient reason: capped exponential backoff with
 * jitter, and the classification of gRPC status codes into retryable or not.
 */
import { status as GrpcStatus } from "@grpc/grpc-js";

export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  initialDelayMs: number;
  /** Growth per retry. */
  multiplier: number;
  /** Upper bound on one delay, ms. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 200, multiplier: 2, maxDelayMs: 5_000 };

/**
 * Delay before retry number `retry` (0-based): "equal jitter", uniformly in [d/2, d] with
 * d = min(maxDelayMs, initialDelayMs * multiplier^retry). Half fixed so retries never
 * hammer a struggling backend; half random so many workers do not retry in lockstep.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Our own deadline (a call that did not answer in time). */
export class TimeoutError extends Error {
  readonly code = GrpcStatus.DEADLINE_EXCEEDED;
  constructor(what: string, ms: number) {
    super(`${what} did not complete within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** The gRPC status code carried by an error from a Google client, if any. */
export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** `UNAVAILABLE`, `INVALID_ARGUMENT`, ... or `UNKNOWN` for errors without a code. */
export function grpcCodeName(err: unknown): string {
  const code = grpcCode(err);
  return (code !== undefined ? GrpcStatus[code] : undefined) ?? "UNKNOWN";
}

const RETRYABLE = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.DEADLINE_EXCEEDED,
]);

/** Transient failures worth another attempt: unavailable, throttled, timed out. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TimeoutError) return true;
  const code = grpcCode(err);
  return code !== undefined && RETRYABLE.has(code);
}

/** The model (or the API) refused the request itself: retrying the same request cannot help. */
export function isInvalidArgument(err: unknown): boolean {
  return grpcCode(err) === GrpcStatus.INVALID_ARGUMENT;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff?: BackoffPolicy;
  /** Stops waiting (and retrying) when aborted: the last error is thrown. */
  signal?: AbortSignal;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry (for logs and metrics). */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, runs out of
 * retries or is aborted; then throws the last error.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const wait = options.sleep ?? sleep;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isRetryable(err) || n >= options.maxRetries || options.signal?.aborted) throw err;
      const delay = backoffDelayMs(n, backoff, options.random);
      options.onRetry?.(err, n + 1, delay);
      await wait(delay, options.signal);
      if (options.signal?.aborted) throw err;
    }
  }
}
