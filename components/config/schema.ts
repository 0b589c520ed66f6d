/**
 * The one typed config model of the platform. Every stack (Pulumi.<stack>.yaml) is
 * parsed by `platformConfigSchema` before a resource is declared, so a mistake stops
 * the run with a message that names the key, the value and what is allowed.
 */
import { z } from "zod";
import {
  BATCHING_DEFAULTS,
  BATCHING_LIMITS,
  ACK_DEADLINE_LIMITS,
  INSTANCE_SHAPES,
  MISSING_FEATURE_POLICIES,
  MAX_RETENTION_SECONDS,
  WORKER_DEFAULTS,
  WORKER_LIMITS,
  enumValues,
  featureListSchema,
  modelIoProblems,
  outputSpecSchema,
  parametersSchema,
} from "../../contract";
import {
  ACCELERATOR_TYPES,
  KNOWN_REGIONS,
  checkGpuMachine,
  endpointTakesGrpc,
  multiRegionOf,
} from "../../contract/gcp";
import { scalingProblems, workerScalingSchema } from "./scaling";
import { privateServicesRangeProblems } from "./ipRanges";
import { subnetCidr } from "./topology";
import { PLATFORM_DEFAULTS } from "./defaults";
import { ANALYTICS_DEFAULTS } from "../analytics/defaults";
import { ALERTS_DEFAULTS } from "../observability/defaults";
import { FEATURE_STORE_DEFAULTS } from "../featureStore/defaults";
import { MESSAGING_DEFAULTS } from "../messaging/defaults";
import { NETWORK_DEFAULTS } from "../network/defaults";
import { ENDPOINT_DEFAULTS, EndpointConnectivity, MODEL_DEFAULTS } from "../serving/defaults";
import { PredictProtocol } from "../serving/endpointAccess";
import { WORKER_POOL_DEFAULTS } from "../workerDeployment/defaults";
import { DEPLOYMENT_ID_COMMAND, DEPLOYMENT_ID_PATTERN, EARLIER_NAMES } from "../encryption/keyRingName";

const region = z.enum(KNOWN_REGIONS);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const labelValue = z.string().regex(/^[a-z0-9_-]{1,63}$/, "must be 1-63 lowercase letters, digits, - or _");

const labels = z.strictObject({
  team: labelValue,
  "cost-center": labelValue,
});

const network = z.strictObject({
  /** A /16 the per-region /20 subnets are carved from, in the order of `regions`. */
  baseCidr: z
    .string()
    .regex(/^10\.\d{1,3}\.0\.0\/16$/, "must be a 10.x.0.0/16 range")
    .default(NETWORK_DEFAULTS.baseCidr),
  /** Range reserved for private services access (Vertex AI peering). */
  privateServicesCidr: z
    .string()
    .regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/(1[6-9]|2[0-4])$/, "must be an IPv4 range of /16 to /24")
    .default(NETWORK_DEFAULTS.privateServicesCidr),
});

const messaging = z.strictObject({
  ackDeadlineSeconds: int(ACK_DEADLINE_LIMITS.min, ACK_DEADLINE_LIMITS.max).default(
    MESSAGING_DEFAULTS.ackDeadlineSeconds,
  ),
  maxDeliveryAttempts: int(5, 100).default(MESSAGING_DEFAULTS.maxDeliveryAttempts),
  minimumBackoffSeconds: int(0, 600).default(MESSAGING_DEFAULTS.minimumBackoffSeconds),
  maximumBackoffSeconds: int(0, 600).default(MESSAGING_DEFAULTS.maximumBackoffSeconds),
  messageRetentionSeconds: int(600, MAX_RETENTION_SECONDS).default(
    MESSAGING_DEFAULTS.messageRetentionSeconds,
  ),
  /**
   * Enforce the topics' storage regions in transit too: Pub/Sub then answers publish and pull
   * requests that arrive in another region with FAILED_PRECONDITION, so producers elsewhere
   * must use a regional endpoint in `regions`. Off by default, so any producer can publish.
   * Source: `MessageStoragePolicy.enforce_in_transit`, google/pubsub/v1/pubsub.proto.
   */
  enforceInTransit: z.boolean().default(MESSAGING_DEFAULTS.enforceInTransit),
});

const featureStore = z.strictObject({
  minNodes: int(1, 1000).default(FEATURE_STORE_DEFAULTS.minNodes),
  maxNodes: int(1, 1000).default(FEATURE_STORE_DEFAULTS.maxNodes),
  cpuTargetPercent: int(10, 80).default(FEATURE_STORE_DEFAULTS.cpuTargetPercent),
  storageType: z.enum(["SSD", "HDD"]).default(FEATURE_STORE_DEFAULTS.storageType),
  /** Feature cells older than this are garbage-collected. */
  featureMaxAgeDays: int(1, 3650).default(FEATURE_STORE_DEFAULTS.featureMaxAgeDays),
});

const analytics = z.strictObject({
  /** BigQuery location; defaults to the multi-region (US, EU) that holds every region. */
  location: z.string().optional(),
  partitionExpirationDays: int(1, 3650).default(ANALYTICS_DEFAULTS.partitionExpirationDays),
});

const model = z.strictObject({
  displayName: z.string().min(1).default(MODEL_DEFAULTS.displayName),
  /** gs:// folder with the model artifact. */
  artifactUri: z.string().regex(/^gs:\/\/[a-z0-9._-]+(\/.*)?$/, "must be a gs:// URI"),
  /** Serving container image (Artifact Registry). */
  servingImage: z.string().regex(/^[a-z0-9.-]+\/\S+$/, "must be a container image reference"),
  predictRoute: z.string().startsWith("/").default(MODEL_DEFAULTS.predictRoute),
  healthRoute: z.string().startsWith("/").default(MODEL_DEFAULTS.healthRoute),
  port: int(1, 65535).default(MODEL_DEFAULTS.port),
  machineType: z.string().min(1),
  acceleratorType: z.enum(ACCELERATOR_TYPES),
  acceleratorCount: int(1, 8).default(MODEL_DEFAULTS.acceleratorCount),
  minReplicas: int(1, 100),
  maxReplicas: int(1, 100),
  /** Target accelerator duty cycle for autoscaling, percent. */
  dutyCycleTarget: int(10, 100).default(MODEL_DEFAULTS.dutyCycleTarget),
  /** Signal Vertex AI scales replicas on: GPU duty cycle, or prediction requests (docs/scaling.md). */
  autoscalingMetric: z.enum(["duty-cycle", "request-count"]).default(MODEL_DEFAULTS.autoscalingMetric),
  /** With request-count: the request_count target per replica (AutoscalingMetricSpec.target). */
  requestCountTarget: int(1, 100_000).optional(),
  /**
   * maxReplicas of a new model while the old one is still deployed (a model change deploys
   * first; both hold GPU quota at maxReplicas x GPUs). Unset: maxReplicas (twice the quota).
   */
  switchMaxReplicas: int(1, 100).optional(),
  /** Declared features (name, type, source, required, default); unset = today's numeric features. */
  features: featureListSchema.optional(),
  /** `object` ({entityId, features}) or `array` (declared order); unset = object. */
  instanceShape: z.enum(INSTANCE_SHAPES).optional(),
  /** The predict request's `parameters`. */
  parameters: parametersSchema.optional(),
  /** Checks on each prediction (scoreField, scoreMin, scoreMax, labelField); unset = { score in [0, 1] }. */
  output: outputSpecSchema.optional(),
  /** A prediction the store's features are missing from: `refuse` (dead-letter, the default) or `flag`. */
  missingFeatures: z.enum(MISSING_FEATURE_POLICIES).optional(),
});

const endpoint = z.strictObject({
  /**
   * How the endpoint is reached privately: Private Service Connect (gRPC or HTTP, traffic
   * split, many models) or VPC peering (HTTP only, one model, no split). Never public.
   */
  connectivity: z.enum(enumValues(EndpointConnectivity)).default(ENDPOINT_DEFAULTS.connectivity),
  /** How the worker calls the model: `http` (JSON, the default) or `grpc` (PSC only). */
  predictProtocol: z.enum(enumValues(PredictProtocol)).default(ENDPOINT_DEFAULTS.predictProtocol),
  /** In standby mode, keep an endpoint warm (at min replicas) in the standby region. */
  warmStandby: z.boolean().default(ENDPOINT_DEFAULTS.warmStandby),
  /**
   * PSC: PEM of the endpoint's self-signed certificate (`*.prediction.p.vertexai.goog`); the
   * worker then verifies the endpoint against it. Unset: TLS without verification for that
   * one host, as Google's SDK does (docs/connectivity.md).
   */
  pscCertificate: z
    .string()
    .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, {
      error:
        "must be a PEM certificate (openssl s_client -connect <endpoint name>:443 | openssl x509; docs/connectivity.md)",
    })
    .optional(),
});

const worker = z.strictObject({
  /** How the pool scales (manual, cpu, backlog); defaults by environment (components/config/scaling.ts). */
  scaling: workerScalingSchema.optional(),
  /** Older keys: the instance bounds when `scaling` is not written. */
  minInstances: int(0, 100).optional(),
  maxInstances: int(1, 100).optional(),
  cpu: z.enum(["1", "2", "4", "8"]).default(WORKER_POOL_DEFAULTS.cpu),
  memory: z
    .string()
    .regex(/^\d+(Mi|Gi)$/, "must look like 512Mi or 2Gi")
    .default(WORKER_POOL_DEFAULTS.memory),
  maxBatchSize: int(BATCHING_LIMITS.maxBatchSize.min, BATCHING_LIMITS.maxBatchSize.max).default(
    BATCHING_DEFAULTS.maxBatchSize,
  ),
  maxBatchDelayMs: int(BATCHING_LIMITS.maxBatchDelayMs.min, BATCHING_LIMITS.maxBatchDelayMs.max).default(
    BATCHING_DEFAULTS.maxBatchDelayMs,
  ),
  maxInFlight: int(BATCHING_LIMITS.maxInFlight.min, BATCHING_LIMITS.maxInFlight.max).default(
    BATCHING_DEFAULTS.maxInFlight,
  ),
  predictTimeoutMs: int(WORKER_LIMITS.predictTimeoutMs.min, WORKER_LIMITS.predictTimeoutMs.max).default(
    BATCHING_DEFAULTS.predictTimeoutMs,
  ),
  /** Streaming-pull streams per worker; flow control is shared across them. */
  pullStreams: int(BATCHING_LIMITS.pullStreams.min, BATCHING_LIMITS.pullStreams.max).default(
    BATCHING_DEFAULTS.pullStreams,
  ),
  featureCacheTtlMs: int(WORKER_LIMITS.featureCacheTtlMs.min, WORKER_LIMITS.featureCacheTtlMs.max).default(
    WORKER_DEFAULTS.featureCacheTtlMs,
  ),
});

const alerts = z.strictObject({
  /** Share of predictions that must come from fresh events (Google's "Dataflow for Real-Time ML & Gen AI" solution guide: 90%). */
  freshnessGoal: z.number().gt(0).lt(1).default(ALERTS_DEFAULTS.freshnessGoal),
  /** An event is fresh if predicted within this many seconds of its publish time (the same guide: 3 min). */
  freshnessThresholdSeconds: int(1, 3600).default(ALERTS_DEFAULTS.freshnessThresholdSeconds),
  /** Share of events that must not be dead-lettered. */
  correctnessGoal: z.number().gt(0).lt(1).default(ALERTS_DEFAULTS.correctnessGoal),
  /** Alert when the input subscription's oldest unacked message is older than this. */
  oldestUnackedMessageSeconds: int(10, 86_400).default(ALERTS_DEFAULTS.oldestUnackedMessageSeconds),
  /** Alert when this share of Vertex predict calls fails, percent. */
  vertexErrorRatePercent: z.number().gt(0).max(100).default(ALERTS_DEFAULTS.vertexErrorRatePercent),
  /** Alert when Vertex p99 prediction latency exceeds this, ms. */
  vertexLatencyP99Ms: int(1, 600_000).default(ALERTS_DEFAULTS.vertexLatencyP99Ms),
  notificationEmails: z.array(z.email()).min(1),
  /** Where docs/runbooks.md is read (e.g. on your Git host); each alert links a section of it. */
  runbookBaseUrl: z.string().min(1).optional(),
});

const platformShape = z.strictObject({
  projectId: z
    .string()
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id: 6-30 lowercase letters, digits or -"),
  environment: z.enum(["staging", "prod"]),
  /** Prefix of every resource name; defaults to `si-<environment>`. */
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,14}$/, "must be 2-15 lowercase letters, digits or -, starting with a letter")
    .optional(),
  /**
   * This deployment's id, made once at stack init and never changed: it is part of the names
   * Google never frees (KMS key rings), so a stack can be destroyed and brought up again.
   * `none`: a stack deployed before deployment ids keeps its key ring names (docs/deploying.md).
   */
  deploymentId: z
    .string({ error: `set it once, at stack init, with \`${DEPLOYMENT_ID_COMMAND}\`` })
    .regex(
      DEPLOYMENT_ID_PATTERN,
      `must be 4-8 lowercase letters or digits (make one with \`${DEPLOYMENT_ID_COMMAND}\`), or "${EARLIER_NAMES}" to keep the key ring names of a stack deployed before deployment ids`,
    ),
  regions: z.array(region).min(1).max(4),
  activeRegion: region,
  failoverMode: z.enum(["standby", "active-active"]).default(PLATFORM_DEFAULTS.failoverMode),
  labels,
  deletionProtection: z.boolean().optional(),
  /**
   * The stack enables the APIs it uses (gcp.projects.Service, never disabled on destroy) and each
   * resource waits for its API. false: the organisation enables APIs centrally (the list:
   * `npm run plan -- --stack <s> --roles`).
   */
  enableApis: z.boolean().default(PLATFORM_DEFAULTS.enableApis),
  network: network.default(network.parse({})),
  messaging: messaging.default(messaging.parse({})),
  featureStore: featureStore.default(featureStore.parse({})),
  analytics: analytics.default(analytics.parse({})),
  model,
  endpoint: endpoint.default(endpoint.parse({})),
  worker: worker.default(worker.parse({})),
  alerts,
});

type Shape = z.output<typeof platformShape>;
type Issue = (path: (string | number)[], message: string) => void;

/**
 * Checks across keys. Each names the top-level keys it reads and runs whenever those parsed,
 * even if others did not: a stack with a typo in `alerts` and an `activeRegion` outside
 * `regions` hears about both at once, not one after the other.
 */
const CROSS_FIELD_CHECKS: { reads: (keyof Shape)[]; check: (c: Shape, issue: Issue) => void }[] = [
  {
    reads: ["regions", "activeRegion"],
    check: (c, issue) => {
      if (new Set(c.regions).size !== c.regions.length) issue(["regions"], "lists a region twice");
      if (!c.regions.includes(c.activeRegion)) {
        issue(["activeRegion"], `must be one of the configured regions: ${c.regions.join(", ")}`);
      }
    },
  },
  {
    reads: ["regions", "network"],
    check: (c, issue) => {
      const subnets = Object.fromEntries(c.regions.map((r, i) => [r, subnetCidr(c.network.baseCidr, i)]));
      for (const problem of privateServicesRangeProblems(c.network.privateServicesCidr, subnets)) {
        issue(["network", "privateServicesCidr"], problem);
      }
    },
  },
  {
    reads: ["endpoint"],
    check: (c, issue) => {
      if (c.endpoint.predictProtocol === "grpc" && !endpointTakesGrpc(c.endpoint.connectivity)) {
        issue(
          ["endpoint", "predictProtocol"],
          "must be http with endpoint.connectivity peering (peering takes no gRPC)",
        );
      }
    },
  },
  {
    reads: ["model"],
    check: (c, issue) => {
      if (c.model.minReplicas > c.model.maxReplicas) {
        issue(["model", "minReplicas"], `must not exceed model.maxReplicas (${c.model.maxReplicas})`);
      }
      const cap = c.model.switchMaxReplicas;
      if (cap !== undefined && (cap < c.model.minReplicas || cap > c.model.maxReplicas)) {
        issue(
          ["model", "switchMaxReplicas"],
          `must be within model.minReplicas..model.maxReplicas (${c.model.minReplicas}..${c.model.maxReplicas})`,
        );
      }
      if (c.model.autoscalingMetric === "request-count" && c.model.requestCountTarget === undefined) {
        issue(["model", "requestCountTarget"], "must be set when model.autoscalingMetric is request-count");
      }
      for (const problem of modelIoProblems(c.model)) issue(["model", problem.key], problem.message);
      const gpu = checkGpuMachine(c.model.machineType, c.model.acceleratorType, c.model.acceleratorCount);
      if (gpu) issue(["model", "acceleratorType"], gpu);
    },
  },
  {
    reads: ["featureStore"],
    check: (c, issue) => {
      if (c.featureStore.minNodes > c.featureStore.maxNodes) {
        issue(
          ["featureStore", "minNodes"],
          `must not exceed featureStore.maxNodes (${c.featureStore.maxNodes})`,
        );
      }
    },
  },
  {
    reads: ["environment", "worker"],
    check: (c, issue) => {
      for (const [path, message] of scalingProblems(c)) issue(path, message);
    },
  },
  {
    reads: ["messaging"],
    check: (c, issue) => {
      if (c.messaging.minimumBackoffSeconds > c.messaging.maximumBackoffSeconds) {
        issue(
          ["messaging", "minimumBackoffSeconds"],
          `must not exceed messaging.maximumBackoffSeconds (${c.messaging.maximumBackoffSeconds})`,
        );
      }
    },
  },
  {
    reads: ["worker", "messaging"],
    check: (c, issue) => {
      if (c.worker.predictTimeoutMs * 2 > c.messaging.ackDeadlineSeconds * 1000 * 10) {
        issue(
          ["worker", "predictTimeoutMs"],
          `is too long for messaging.ackDeadlineSeconds (${c.messaging.ackDeadlineSeconds}); keep it under 5x the ack deadline`,
        );
      }
    },
  },
  {
    reads: ["regions", "analytics"],
    check: (c, issue) => {
      if (!c.analytics.location) {
        const areas = new Set(c.regions.map(multiRegionOf));
        if (areas.size !== 1 || areas.has(undefined)) {
          issue(
            ["analytics", "location"],
            `is required when the regions (${c.regions.join(", ")}) do not share one multi-region (US or EU)`,
          );
        }
      }
    },
  },
];

export const platformConfigSchema = CROSS_FIELD_CHECKS.reduce(
  (schema, { reads, check }) =>
    schema.superRefine(
      (c, ctx) => check(c, (path, message) => ctx.addIssue({ code: "custom", path, message })),
      {
        // zod skips refinements once any issue is found; these run when the keys they read parsed.
        when: (payload) =>
          payload.value !== null &&
          typeof payload.value === "object" &&
          !payload.issues.some((i) => reads.includes(i.path?.[0] as keyof Shape)) &&
          reads.every((key) => (payload.value as Record<string, unknown>)[key] !== undefined),
      },
    ),
  platformShape,
);

/** The stack config as written (before defaults). */
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
/** The validated stack config, defaults applied. */
export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type ModelConfig = PlatformConfig["model"];
export type WorkerPoolConfig = PlatformConfig["worker"];
export type AlertsConfig = PlatformConfig["alerts"];
export type MessagingConfig = PlatformConfig["messaging"];
export type FeatureStoreConfig = PlatformConfig["featureStore"];
