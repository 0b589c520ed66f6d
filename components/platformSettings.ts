/**
 * The platform's settings as named interfaces: the stack config (`PlatformConfigInput`,
 * before defaults) in a form Pulumi's component schema can describe, so the platform is
 * usable from every Pulumi language (PulumiPlugin.yaml). Validation and defaults stay in
 * the one config model (`parsePlatformConfig`); the compile-time checks at the bottom keep
 * these interfaces and that model from drifting apart.
 */
import type { PlatformConfig, PlatformConfigInput } from "./config";
import type { EndpointConnectivity } from "./serving/inferenceEndpoint";
import type { PredictProtocol } from "./serving/endpointAccess";

// Enumerations as `as const` objects (with a type of their values): the form Pulumi's
// schema analyzer turns into schema enums, and plain string unions for TypeScript.

/** The stack's environment; prod turns on deletion protection. */
export const Environment = { Staging: "staging", Prod: "prod" } as const;
export type Environment = (typeof Environment)[keyof typeof Environment];

/** standby: one region consumes, the other's subscription retains; active-active: both consume. */
export const FailoverMode = { Standby: "standby", ActiveActive: "active-active" } as const;
export type FailoverMode = (typeof FailoverMode)[keyof typeof FailoverMode];

export const BigtableStorageType = { Ssd: "SSD", Hdd: "HDD" } as const;
export type BigtableStorageType = (typeof BigtableStorageType)[keyof typeof BigtableStorageType];

/** vCPUs of a worker instance. */
export const WorkerCpu = { One: "1", Two: "2", Four: "4", Eight: "8" } as const;
export type WorkerCpu = (typeof WorkerCpu)[keyof typeof WorkerCpu];

/** manual: a fixed count; backlog: CREMA on the input subscription's backlog (CPU scaling of worker pools is pre-GA). */
export const WorkerScalingMode = { Manual: "manual", Backlog: "backlog" } as const;
export type WorkerScalingMode = (typeof WorkerScalingMode)[keyof typeof WorkerScalingMode];

/** How the worker pool scales; which keys apply depends on `mode` (docs/scaling.md). */
export interface WorkerScalingSettings {
  mode: WorkerScalingMode;
  /** manual: instances kept running. Defaults to 1. */
  instances?: number;
  /** backlog: instance bounds (CREMA's minReplicaCount/maxReplicaCount). Default 1 and 4. */
  minInstances?: number;
  maxInstances?: number;
  /** backlog: undelivered messages per instance. Defaults to 1000. */
  targetBacklogPerInstance?: number;
  /** backlog: scale-down stabilization window, seconds. Defaults to 300. */
  cooldownSeconds?: number;
}

/** GPU duty cycle (default) or prediction request count (docs/scaling.md). */
export const ModelAutoscalingMetric = { DutyCycle: "duty-cycle", RequestCount: "request-count" } as const;
export type ModelAutoscalingMetric = (typeof ModelAutoscalingMetric)[keyof typeof ModelAutoscalingMetric];

/** VPC ranges. */
export interface NetworkSettings {
  /** A 10.x.0.0/16 carved into one /20 subnet per region, in `regions` order. Defaults to 10.10.0.0/16. */
  baseCidr?: string;
  /** Range reserved for private services access (Vertex AI peering), /16 to /24. Defaults to 10.100.0.0/16. */
  privateServicesCidr?: string;
}

/** Subscription delivery settings of the input channel. */
export interface MessagingSettings {
  /** Ack deadline, 10-600 s. Defaults to 60. */
  ackDeadlineSeconds?: number;
  /** Deliveries before a message is dead-lettered, 5-100. Defaults to 5. */
  maxDeliveryAttempts?: number;
  /** Retry backoff bounds, 0-600 s. Default 10 and 300. */
  minimumBackoffSeconds?: number;
  maximumBackoffSeconds?: number;
  /** Retention of unacked messages (the replay window of a failover), up to 7 days. Defaults to 86400. */
  messageRetentionSeconds?: number;
  /**
   * Enforce the topics' storage regions in transit: publish and pull requests arriving in another
   * region fail with FAILED_PRECONDITION (producers must use a regional endpoint in `regions`). Defaults to false.
   */
  enforceInTransit?: boolean;
}

/** The Bigtable feature store. */
export interface FeatureStoreSettings {
  /** Autoscaling bounds of each cluster. Default 1 and 3. */
  minNodes?: number;
  maxNodes?: number;
  /** CPU target of autoscaling, 10-80%. Defaults to 60. */
  cpuTargetPercent?: number;
  /** Defaults to SSD. */
  storageType?: BigtableStorageType;
  /** Feature cells older than this are garbage-collected. Defaults to 30. */
  featureMaxAgeDays?: number;
}

/** The BigQuery sink. */
export interface AnalyticsSettings {
  /** Dataset location. Defaults to the US/EU multi-region that holds every region. */
  location?: string;
  /** Partition expiry, days. Defaults to 400. */
  partitionExpirationDays?: number;
}

/** A feature's type (contract/modelIo.ts FEATURE_TYPES). */
export const FeatureType = {
  Number: "number",
  String: "string",
  Boolean: "boolean",
  NumberList: "number[]",
  StringList: "string[]",
} as const;
export type FeatureType = (typeof FeatureType)[keyof typeof FeatureType];

/** Where a feature comes from: the event inline, the Bigtable row, or either (the event wins). */
export const FeatureSource = { Event: "event", Store: "store", Either: "either" } as const;
export type FeatureSource = (typeof FeatureSource)[keyof typeof FeatureSource];

/** The shape of one predict instance. */
export const InstanceShape = { Object: "object", Array: "array" } as const;
/** refuse (dead-letter with missing_feature) or flag (predict and mark degraded); contract/modelIo.ts. */
export const MissingFeaturePolicy = { Refuse: "refuse", Flag: "flag" } as const;
export type MissingFeaturePolicy = (typeof MissingFeaturePolicy)[keyof typeof MissingFeaturePolicy];
export type InstanceShape = (typeof InstanceShape)[keyof typeof InstanceShape];

/** One declared feature of the model (docs/models.md). */
export interface FeatureSettings {
  /** Bigtable column qualifier in family `f`, and key in the event's `features`. */
  name: string;
  type: FeatureType;
  /** Defaults to either. */
  source?: FeatureSource;
  /** Missing and required: dead-lettered as missing_feature. Defaults to true unless a default is given. */
  required?: boolean;
  /**
   * Value used when the feature is missing; of the feature's type. Free-form JSON: `any` is
   * the one type Pulumi's schema analyzer describes as such; the config model checks it.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  default?: any;
}

/** Checks on each prediction; the prediction itself always passes through whole. */
export interface PredictionOutputSettings {
  /** Dot path of a number in each prediction (e.g. score, scores.0): metrics and the BigQuery score column. */
  scoreField?: string;
  /** Inclusive bounds of the score. */
  scoreMin?: number;
  scoreMax?: number;
  /** Dot path of a string or number in each prediction: the BigQuery label column. */
  labelField?: string;
}

/** What the model takes and answers, as the worker is told (docs/models.md). */
export interface ModelIoSettings {
  /** Declared features, in instance order. Defaults to every stored column and inline feature, as numbers. */
  features?: FeatureSettings[];
  /** Defaults to object. */
  instanceShape?: InstanceShape;
  /** The predict request's `parameters`. Defaults to none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  parameters?: Record<string, any>;
  /** Defaults to { score: number in [0, 1] }. */
  output?: PredictionOutputSettings;
  /** refuse or flag a prediction the store's features are missing from. Defaults to refuse. */
  missingFeatures?: MissingFeaturePolicy;
}

/** The served model and its GPU machines. */
export interface ModelSettings {
  /** Defaults to "scorer". */
  displayName?: string;
  /** gs:// folder with the model artifact. */
  artifactUri: string;
  /** Serving container image. */
  servingImage: string;
  /** Defaults to /predict and /health. */
  predictRoute?: string;
  healthRoute?: string;
  /** Container port. Defaults to 8080. */
  port?: number;
  /** GPU machine type, e.g. g2-standard-8. */
  machineType: string;
  /** Vertex AI accelerator type, e.g. NVIDIA_L4. */
  acceleratorType: string;
  /** Defaults to 1. */
  acceleratorCount?: number;
  minReplicas: number;
  maxReplicas: number;
  /** GPU duty cycle autoscaling aims for, percent. Defaults to 60. */
  dutyCycleTarget?: number;
  /** Signal replicas scale on. Defaults to duty-cycle. */
  autoscalingMetric?: ModelAutoscalingMetric;
  /** With request-count: the request_count target per replica. */
  requestCountTarget?: number;
  /** maxReplicas of a new model while the old one is still deployed (GPU quota). Defaults to maxReplicas. */
  switchMaxReplicas?: number;
  /** Declared features, in instance order. Defaults to today's: every stored column and inline feature, as numbers. */
  features?: FeatureSettings[];
  /** object ({entityId, features}) or array (values in declared order; prebuilt containers). Defaults to object. */
  instanceShape?: InstanceShape;
  /** The predict request's `parameters` (a JSON object). Defaults to none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  parameters?: Record<string, any>;
  /** Checks on each prediction. Defaults to today's: { score: number in [0, 1] }. */
  output?: PredictionOutputSettings;
  /**
   * A prediction the store's features are missing from (no stored row; the event carries some
   * inline): refuse (dead-letter with missing_feature) or flag (predict, mark it degraded). Defaults to refuse.
   */
  missingFeatures?: MissingFeaturePolicy;
}

/** How the endpoint is reached. */
export interface EndpointSettings {
  /** psc (Private Service Connect) or peering (private services access); never public. Defaults to psc. */
  connectivity?: EndpointConnectivity;
  /** How the worker calls the model: http (JSON) or grpc (PSC only). Defaults to http. */
  predictProtocol?: PredictProtocol;
  /** In standby mode, keep the standby region's endpoint deployed at min replicas. Defaults to false. */
  warmStandby?: boolean;
  /** PSC: PEM of the endpoint's certificate; the worker pins it. Unset: TLS unverified for that host only. */
  pscCertificate?: string;
}

/** The worker pool and its batching. */
export interface WorkerPoolSettings {
  /** How the pool scales. Defaults to backlog in prod, cpu in staging. */
  scaling?: WorkerScalingSettings;
  /** Older key: `scaling`'s minimum (or manual count) when `scaling` is not set. */
  minInstances?: number;
  /** Older key: `scaling`'s maximum when `scaling` is not set. */
  maxInstances?: number;
  /** vCPUs per instance. Defaults to "1". */
  cpu?: WorkerCpu;
  /** Memory per instance, e.g. 2Gi. Defaults to 1Gi. */
  memory?: string;
  /** Micro-batching: flush at this many events or after this delay. Defaults 50 and 1000 ms. */
  maxBatchSize?: number;
  maxBatchDelayMs?: number;
  /** Predict calls in flight per worker. Defaults to 4. */
  maxInFlight?: number;
  /** Deadline of one predict call, ms. Defaults to 10000. */
  predictTimeoutMs?: number;
  /** Hot-entity feature cache TTL, ms; 0 disables. Defaults to 0. */
  featureCacheTtlMs?: number;
  /** Streaming-pull streams per worker (1-16); flow control is shared across them. Defaults to 2. */
  pullStreams?: number;
}

/** SLO goals, alert thresholds and who is notified. */
export interface PlatformAlertSettings {
  /** Share of predictions from fresh events. Defaults to 0.9. */
  freshnessGoal?: number;
  /** An event is fresh if predicted within this many seconds. Defaults to 180. */
  freshnessThresholdSeconds?: number;
  /** Share of events not dead-lettered. Defaults to 0.995. */
  correctnessGoal?: number;
  /** Backlog alert threshold, seconds. Defaults to 300. */
  oldestUnackedMessageSeconds?: number;
  /** Vertex error-rate alert threshold, percent. Defaults to 5. */
  vertexErrorRatePercent?: number;
  /** Vertex p99 latency alert threshold, ms. Defaults to 1000. */
  vertexLatencyP99Ms?: number;
  /** Addresses every alert notifies. At least one. */
  notificationEmails: string[];
  /** Base URL of docs/runbooks.md each alert links into. Defaults to the repository path `docs/runbooks.md`. */
  runbookBaseUrl?: string;
}

/** The whole platform's settings: the stack config of `Pulumi.<stack>.yaml`, without the namespace. */
export interface PlatformSettings {
  /** GCP project that holds the platform. */
  projectId: string;
  environment: Environment;
  /** Prefix of every resource name. Defaults to si-<environment>. */
  namePrefix?: string;
  /** Enable the APIs the stack uses (false where the organisation enables them centrally). Defaults to true. */
  enableApis?: boolean;
  /** This deployment's id (4-8 lowercase letters or digits, or `none`), made once at stack init; part of the KMS key ring names. */
  deploymentId: string;
  /** Regions the platform spans (1-4). */
  regions: string[];
  /** The region whose worker and endpoint serve; change it to fail over. */
  activeRegion: string;
  /** Defaults to standby. */
  failoverMode?: FailoverMode;
  /** `team` and `cost-center` labels. */
  labels: Record<string, string>;
  /** Deletion protection on Bigtable and BigQuery. Defaults to true in prod. */
  deletionProtection?: boolean;
  network?: NetworkSettings;
  messaging?: MessagingSettings;
  featureStore?: FeatureStoreSettings;
  analytics?: AnalyticsSettings;
  model: ModelSettings;
  endpoint?: EndpointSettings;
  worker?: WorkerPoolSettings;
  alerts: PlatformAlertSettings;
}

// ---- Drift checks (compile time): same keys as the config model, and its values fit. ----
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
type Section<K extends keyof PlatformConfigInput> = NonNullable<PlatformConfigInput[K]>;
const keyChecks: [
  SameKeys<PlatformSettings, PlatformConfigInput>,
  SameKeys<NetworkSettings, Section<"network">>,
  SameKeys<MessagingSettings, Section<"messaging">>,
  SameKeys<FeatureStoreSettings, Section<"featureStore">>,
  SameKeys<AnalyticsSettings, Section<"analytics">>,
  SameKeys<ModelSettings, Section<"model">>,
  SameKeys<EndpointSettings, Section<"endpoint">>,
  SameKeys<WorkerPoolSettings, Section<"worker">>,
  SameKeys<PlatformAlertSettings, Section<"alerts">>,
] = [true, true, true, true, true, true, true, true, true];
// A config as written, or as validated, is a valid `PlatformSettings`.
const fromConfigInput = (c: PlatformConfigInput): PlatformSettings => c;
const fromConfig = (c: PlatformConfig): PlatformSettings => c;
void [keyChecks, fromConfigInput, fromConfig];
