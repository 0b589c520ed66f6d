/**
 * The environment variables the worker reads, and the deployment sets.
 * One definition for both sides: `InferenceWorker` builds the container's env from
 * `WORKER_ENV`, the worker parses `process.env` with the same keys.
 */
export const WORKER_ENV = {
  /** GCP project that holds the subscription, topics, Bigtable instance and endpoint. */
  projectId: "SI_PROJECT_ID",
  /** Region the worker runs in (for logs and metrics labels). */
  region: "SI_REGION",
  /** Input pull subscription (short name). */
  subscription: "SI_INPUT_SUBSCRIPTION",
  /** Topic the predictions are published to (short name). */
  predictionsTopic: "SI_PREDICTIONS_TOPIC",
  /** Topic poison messages are published to (short name). */
  deadLetterTopic: "SI_DEAD_LETTER_TOPIC",
  /** Bigtable instance, table and app profile ids. */
  bigtableInstance: "SI_BIGTABLE_INSTANCE",
  bigtableTable: "SI_BIGTABLE_TABLE",
  bigtableAppProfile: "SI_BIGTABLE_APP_PROFILE",
  /** Vertex AI endpoint id and its location; the API host is derived unless set. */
  vertexEndpointId: "SI_VERTEX_ENDPOINT_ID",
  vertexLocation: "SI_VERTEX_LOCATION",
  /** Override of the Vertex API host[:port] (local stand-in); plaintext when it is a loopback address. */
  vertexApiEndpoint: "SI_VERTEX_API_ENDPOINT",
  /**
   * Protocol of the endpoint type: `grpc` (public or Private Service Connect; the default)
   * or `http` (VPC-peering private endpoints take only HTTP, at SI_VERTEX_PREDICT_URL).
   */
  vertexProtocol: "SI_VERTEX_PROTOCOL",
  /** The predict URL when the protocol is `http` (a peering endpoint's `predictHttpUri`). */
  vertexPredictUrl: "SI_VERTEX_PREDICT_URL",
  /**
   * TLS to a PSC endpoint's name (`*.prediction.p.vertexai.goog`, self-signed): `unverified`
   * (encrypted, certificate not checked, that host only) or `pinned` (checked against
   * SI_VERTEX_PSC_CERTIFICATE). Unset: the system's CAs. See contract/psc.ts.
   */
  vertexPscTls: "SI_VERTEX_PSC_TLS",
  /** PEM of the PSC endpoint's certificate, when SI_VERTEX_PSC_TLS is `pinned`. */
  vertexPscCertificate: "SI_VERTEX_PSC_CERTIFICATE",
  /**
   * Local twin only: the loopback address the PSC host name resolves to (the VPC's private
   * zone does it in the cloud). Refused unless loopback; the deployment never sets it.
   */
  localOnlyPscAddress: "SI_LOCAL_ONLY_PSC_ADDRESS",
  /** Model id stamped on each prediction. */
  modelId: "SI_MODEL_ID",
  /** Micro-batching: flush at this many events... */
  maxBatchSize: "SI_MAX_BATCH_SIZE",
  /** ...or after this many ms, whichever first. */
  maxBatchDelayMs: "SI_MAX_BATCH_DELAY_MS",
  /** At most this many predict calls in flight. */
  maxInFlight: "SI_MAX_IN_FLIGHT",
  /** `work-conserving` (send when a predict slot is free) or `timer` (wait for a full batch or the delay). */
  batchPolicy: "SI_BATCH_POLICY",
  /** Streaming-pull streams the subscriber opens; flow control is shared across them. */
  pullStreams: "SI_PULL_STREAMS",
  /** The input subscription's ack deadline, s: the worker leases messages for this long from the start. */
  ackDeadlineSeconds: "SI_ACK_DEADLINE_SECONDS",
  /** Deadline of one predict call, ms. */
  predictTimeoutMs: "SI_PREDICT_TIMEOUT_MS",
  /** Upper bound on one predict request body, bytes; larger batches are split. */
  maxRequestBytes: "SI_MAX_REQUEST_BYTES",
  /** Retries of a retryable predict failure before the batch is nacked. */
  maxRetries: "SI_MAX_RETRIES",
  /** TTL of the hot-entity feature cache, ms; 0 turns it off. */
  featureCacheTtlMs: "SI_FEATURE_CACHE_TTL_MS",
  /** How long SIGTERM waits for in-flight work before exiting, ms. */
  drainTimeoutMs: "SI_DRAIN_TIMEOUT_MS",
  /** `cloud-monitoring` in production, `none` locally. */
  metricsExporter: "SI_METRICS_EXPORTER",
  /** Port of /healthz and /readyz. */
  healthPort: "SI_HEALTH_PORT",
  /** Log level: debug, info, warn, error. */
  logLevel: "SI_LOG_LEVEL",
  /** Declared features, a JSON array of FeatureSpec (contract/modelIo.ts); unset = today's numeric features. */
  features: "SI_FEATURES",
  /** Shape of one instance: `object` (default) or `array` (declared feature order). */
  instanceShape: "SI_INSTANCE_SHAPE",
  /** The predict request's `parameters`, a JSON object; unset = none. */
  predictParameters: "SI_PREDICT_PARAMETERS",
  /** Output spec, a JSON object (scoreField, scoreMin, scoreMax, labelField); unset = `{ score in [0, 1] }`. */
  predictionOutput: "SI_PREDICTION_OUTPUT",
  /** `refuse` (default) or `flag`: a prediction the store's features are missing from (contract/modelIo.ts). */
  missingFeatures: "SI_MISSING_FEATURES",
} as const;

export type WorkerEnvKey = keyof typeof WORKER_ENV;

/** One variable of the worker's environment. */
export interface WorkerEnvVar<V = string> {
  name: string;
  value: V | string;
}

/**
 * The one encoder of worker settings into its environment, used by the deployment
 * (`workerEnvironment`, whose values may be Pulumi inputs) and the local runner: one
 * variable per set key, named by `WORKER_ENV`, in `WORKER_ENV` order; numbers written in
 * decimal, other values passed as they are; unset keys left out so the worker's defaults apply.
 * Keys that are not `WORKER_ENV` keys are ignored.
 */
export function toWorkerEnv<V = string>(
  values: Partial<Record<WorkerEnvKey, V | number | undefined>>,
): WorkerEnvVar<V>[] {
  const env: WorkerEnvVar<V>[] = [];
  for (const key of Object.keys(WORKER_ENV) as WorkerEnvKey[]) {
    const value = values[key];
    if (value === undefined) continue;
    env.push({ name: WORKER_ENV[key], value: typeof value === "number" ? String(value) : value });
  }
  return env;
}
