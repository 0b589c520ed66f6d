/**
 * Defaults shared by the stack config, the worker and the local runner, so the
 * emulator pipeline behaves like the deployed one.
 */

/** Micro-batching defaults (the "Add micro-batching and async HTTP to Dataflow streaming pipeline" write-up: batch 50, 1 s, 4 in flight). */
export const BATCHING_DEFAULTS = {
  maxBatchSize: 50,
  maxBatchDelayMs: 1000,
  maxInFlight: 4,
  predictTimeoutMs: 10_000,
  /** Vertex public endpoints cap a request at 1.5 MB; stay under it. */
  maxRequestBytes: 1_400_000,
  maxRetries: 4,
  /**
   * Streaming-pull streams per worker. One stream is a ceiling of its own (~2,000 msg/s on the
   * emulator, ~10 MB/s on Pub/Sub); chosen from the measurements in docs/performance.md.
   */
  pullStreams: 2,
} as const;

/** Limits the config model enforces on batching. */
export const BATCHING_LIMITS = {
  maxBatchSize: { min: 1, max: 1000 },
  maxBatchDelayMs: { min: 1, max: 60_000 },
  maxInFlight: { min: 1, max: 64 },
  pullStreams: { min: 1, max: 16 },
} as const;

/** Subscription defaults: a dead-letter policy, a retry policy, bounded retention. */
export const SUBSCRIPTION_DEFAULTS = {
  ackDeadlineSeconds: 60,
  maxDeliveryAttempts: 5,
  minimumBackoffSeconds: 10,
  maximumBackoffSeconds: 300,
  /** Keep unacked messages for a day: enough to replay after an outage, no data lake in the broker. */
  messageRetentionSeconds: 86_400,
} as const;

/** The longest retention the platform allows on a topic or subscription (Pub/Sub's own cap is 31 days). */
export const MAX_RETENTION_SECONDS = 7 * 86_400;

/**
 * Vertex AI request size caps by endpoint type, bytes: public shared endpoints take at
 * most 1.5 MB per request, dedicated, private (peering) and PSC endpoints 10 MB
 * (Vertex AI quotas and limits, https://cloud.google.com/vertex-ai/docs/quotas, "online prediction request size").
 */
export const VERTEX_REQUEST_LIMIT_BYTES = { public: 1_500_000, private: 10_000_000 } as const;

/**
 * The worker's `maxRequestBytes` for an endpoint type: the cap less 5% for what the
 * worker's estimate leaves out (JSON framing, headers, protobuf overhead on gRPC).
 */
export function maxRequestBytesFor(connectivity: "public" | "psc" | "peering"): number {
  const cap =
    connectivity === "public" ? VERTEX_REQUEST_LIMIT_BYTES.public : VERTEX_REQUEST_LIMIT_BYTES.private;
  return Math.floor(cap * 0.95);
}
