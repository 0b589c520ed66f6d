/**
 * The worker's container environment, built from the one shared list of variable
 * names (`WORKER_ENV`), so the deployment and the worker's parser cannot drift apart.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  MetricsExporter,
  WorkerLogLevel,
  modelIoEnv,
  toWorkerEnv,
  type WorkerEnvKey,
  type WorkerEnvVar,
} from "../../contract";
import type { ModelIoSettings } from "../platformSettings";

/** The worker's log levels and metrics exporters: defined once, in contract/workerLimits.ts. */
export { MetricsExporter, WorkerLogLevel };

/** What the worker in one region is told. Ids may be Outputs of the resources they name. */
export interface InferenceWorkerSettings {
  projectId: pulumi.Input<string>;
  region: string;
  subscription: pulumi.Input<string>;
  predictionsTopic: pulumi.Input<string>;
  deadLetterTopic: pulumi.Input<string>;
  bigtableInstance: pulumi.Input<string>;
  bigtableTable: pulumi.Input<string>;
  bigtableAppProfile: pulumi.Input<string>;
  /** Numeric Vertex AI endpoint id (the `AiEndpoint`'s `name`). */
  vertexEndpointId: pulumi.Input<string>;
  vertexLocation: string;
  /** `http` (PSC by default, peering always) or `grpc` (PSC): the endpoint's `InferenceEndpoint.predictProtocol`. */
  vertexProtocol?: pulumi.Input<string>;
  /** gRPC: `host:port` of Predict (the PSC address); from `InferenceEndpoint.predictAddress`. */
  vertexApiEndpoint?: pulumi.Input<string>;
  /** HTTP: the predict URL (PSC address or the deployed model's predict URI); from `InferenceEndpoint.predictAddress`. */
  vertexPredictUrl?: pulumi.Input<string>;
  /** PSC: how the worker checks the endpoint's certificate (`InferenceEndpoint.pscTls`): unverified or pinned. */
  vertexPscTls?: pulumi.Input<string>;
  /** PSC, pinned: PEM of the endpoint's certificate. */
  vertexPscCertificate?: pulumi.Input<string>;
  modelId: pulumi.Input<string>;
  maxBatchSize: number;
  maxBatchDelayMs: number;
  maxInFlight: number;
  predictTimeoutMs: number;
  featureCacheTtlMs: number;
  /** Optional: the worker's defaults apply when unset. */
  pullStreams?: number;
  /** The input subscription's ack deadline: the worker leases for it from the start. */
  ackDeadlineSeconds?: number;
  maxRequestBytes?: number;
  maxRetries?: number;
  drainTimeoutMs?: number;
  healthPort?: number;
  logLevel?: WorkerLogLevel;
  /** Defaults to `cloud-monitoring`: a deployed worker always exports its metrics (the SLOs read them). */
  metricsExporter?: MetricsExporter;
  /**
   * What the model takes and answers (features, instance shape, parameters, output spec).
   * Only what differs from today's contract is passed, so an existing stack's env is unchanged.
   */
  modelIo?: ModelIoSettings;
}

export type EnvVar = WorkerEnvVar<pulumi.Input<string>>;

/**
 * One env var per set field, named by `WORKER_ENV`, in `WORKER_ENV` order (`toWorkerEnv`). Numbers are
 * written in decimal; unset optional fields are left out so the worker's defaults apply.
 */
export function workerEnvironment(settings: InferenceWorkerSettings): EnvVar[] {
  const { modelIo, ...plain } = settings;
  const values: Partial<Record<WorkerEnvKey, pulumi.Input<string> | number | undefined>> = {
    ...plain,
    ...modelIoEnv(modelIo ?? {}),
    metricsExporter: settings.metricsExporter ?? MetricsExporter.CloudMonitoring,
  };
  return toWorkerEnv(values);
}
