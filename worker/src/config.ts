/**
 * The worker's typed configuration, read from the environment variables named in
 * `contract/workerEnv.ts`. Every problem is reported at once, each naming the variable,
 * the value found and how to fix it.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import {
  BATCHING_DEFAULTS,
  BATCHING_LIMITS,
  ACK_DEADLINE_LIMITS,
  DEFAULT_MODEL_IO,
  FEATURE_TABLE,
  SUBSCRIPTION_DEFAULTS,
  INSTANCE_SHAPES,
  MISSING_FEATURE_POLICIES,
  DEFAULT_MISSING_FEATURE_POLICY,
  LOG_LEVELS,
  METRICS_EXPORTERS,
  WORKER_DEFAULTS,
  WORKER_ENV,
  WORKER_HEALTH_PORT,
  WORKER_LIMITS,
  featureListSchema,
  modelIoProblems,
  outputSpecSchema,
  parametersSchema,
  type ModelIoSpec,
  type WorkerEnvKey,
} from "../../contract";
import { PSC_TLS_MODES } from "../../contract/psc";
import { BATCH_POLICIES } from "./batcher";
import { pscRouteProblem, type PscRoute } from "./predict/pscTls";

export { LOG_LEVELS, METRICS_EXPORTERS };
export const VERTEX_PROTOCOLS = ["grpc", "http"] as const;

/** Cloud Run sends SIGKILL 10 s after SIGTERM: finish (or nack) before that. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 8_000;
export const DEFAULT_HEALTH_PORT = WORKER_HEALTH_PORT;

/** A bad environment. `message` lists every problem, one per line; `problems` holds them separately. */
export class WorkerConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid worker configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "WorkerConfigError";
  }
}

const required = (what: string) =>
  z
    .string({ error: `it is required: set it to ${what}` })
    .trim()
    .min(1, { error: `it is required: set it to ${what}` });

const integer = (min: number, max: number, fallback: number, unit: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return fallback;
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({
          code: "custom",
          message: `it must be a whole number from ${min} to ${max} (${unit}); unset it to use the default (${fallback})`,
        });
        return z.NEVER;
      }
      return value;
    });

const oneOf = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx): T[number] => {
      if (raw === undefined || raw === "") return fallback;
      const found = values.find((v) => v === raw.toLowerCase());
      if (found === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `it must be one of ${values.join(", ")}; unset it to use the default (${fallback})`,
        });
        return z.NEVER;
      }
      return found;
    });

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((raw) => (raw === "" ? undefined : raw));

/** A variable holding JSON, checked against `schema`; each problem names its path inside the value. */
const jsonValue = <S extends z.ZodType>(schema: S, what: string) =>
  optionalText.transform((raw, ctx): z.output<S> | undefined => {
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        message: `it is not JSON (${(err as Error).message}); set it to ${what}`,
      });
      return z.NEVER;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const problems = result.error.issues.map(
        (i) => `${i.path.length > 0 ? i.path.join(".") : "value"} ${i.message}`,
      );
      ctx.addIssue({ code: "custom", message: `it must be ${what}: ${problems.join("; ")}` });
      return z.NEVER;
    }
    return result.data as z.output<S>;
  });

/** Where the Vertex API is reached: TLS to Google, or plaintext to a loopback stand-in. */
export interface VertexApiEndpoint {
  host: string;
  port: number;
  plaintext: boolean;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Parses `host[:port]`; plaintext only for loopback hosts (the local stand-in). */
export function parseVertexApiEndpoint(value: string): VertexApiEndpoint | string {
  const match = /^(\[[^\]]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(value);
  if (match === null)
    return "must be host or host:port (e.g. us-central1-aiplatform.googleapis.com or 127.0.0.1:8500)";
  const host = match[1] as string;
  const port = match[2] === undefined ? 443 : Number(match[2]);
  if (port < 1 || port > 65_535) return "has a port outside 1-65535";
  return { host: host.replace(/^\[(.*)\]$/, "$1"), port, plaintext: LOOPBACK_HOSTS.has(host) };
}

/** Why a predict URL cannot be used, or undefined if it can. */
export function checkPredictUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an http:// or https:// URL (a peering endpoint's predictHttpUri)";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "must be an http:// or https:// URL (a peering endpoint's predictHttpUri)";
  if (!url.pathname.endsWith(":predict")) return "must end in :predict (the deployed model's predictHttpUri)";
  return undefined;
}

/** Why a PEM certificate cannot be pinned, or undefined if it can. */
export function checkCertificatePem(raw: string): string | undefined {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(raw)) {
    return "must be a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)";
  }
  try {
    new X509Certificate(raw);
  } catch (error) {
    return `is not a readable certificate (${(error as Error).message})`;
  }
  return undefined;
}

/** Field -> schema, keyed like WORKER_ENV so each issue maps back to its variable. */
const envSchema = z.object({
  projectId: required("the GCP project id (e.g. my-project)"),
  region: optionalText,
  subscription: required("the input pull subscription's short name"),
  predictionsTopic: required("the predictions topic's short name"),
  deadLetterTopic: required("the dead-letter topic's short name"),
  bigtableInstance: required("the Bigtable instance id"),
  bigtableTable: optionalText,
  bigtableAppProfile: optionalText,
  vertexEndpointId: required("the Vertex AI endpoint id (numeric)"),
  vertexLocation: required("the Vertex AI endpoint's region (e.g. us-central1)"),
  vertexApiEndpoint: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const endpoint = parseVertexApiEndpoint(raw);
    if (typeof endpoint === "string") {
      ctx.addIssue({
        code: "custom",
        message: `it ${endpoint}; unset it to use <location>-aiplatform.googleapis.com`,
      });
      return z.NEVER;
    }
    return endpoint;
  }),
  vertexProtocol: oneOf(VERTEX_PROTOCOLS, "grpc"),
  vertexPredictUrl: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const problem = checkPredictUrl(raw);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return raw;
  }),
  vertexPscTls: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return undefined;
      const found = PSC_TLS_MODES.find((m) => m === raw.toLowerCase());
      if (found === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `it must be one of ${PSC_TLS_MODES.join(", ")}; unset it to verify against the system's CAs`,
        });
        return z.NEVER;
      }
      return found;
    }),
  vertexPscCertificate: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const problem = checkCertificatePem(raw);
    if (problem !== undefined) {
      ctx.addIssue({ code: "custom", message: `it ${problem}` });
      return z.NEVER;
    }
    return raw;
  }),
  localOnlyPscAddress: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    if (isIP(raw) === 0 || !LOOPBACK_HOSTS.has(raw)) {
      ctx.addIssue({
        code: "custom",
        message:
          "it must be a loopback address (127.0.0.1 or ::1): it is for the local twin only; unset it in the cloud",
      });
      return z.NEVER;
    }
    return raw;
  }),
  modelId: required("the id stamped on each prediction (e.g. fraud-v3)"),
  maxBatchSize: integer(
    BATCHING_LIMITS.maxBatchSize.min,
    BATCHING_LIMITS.maxBatchSize.max,
    BATCHING_DEFAULTS.maxBatchSize,
    "events",
  ),
  maxBatchDelayMs: integer(
    BATCHING_LIMITS.maxBatchDelayMs.min,
    BATCHING_LIMITS.maxBatchDelayMs.max,
    BATCHING_DEFAULTS.maxBatchDelayMs,
    "milliseconds",
  ),
  maxInFlight: integer(
    BATCHING_LIMITS.maxInFlight.min,
    BATCHING_LIMITS.maxInFlight.max,
    BATCHING_DEFAULTS.maxInFlight,
    "calls",
  ),
  batchPolicy: oneOf(BATCH_POLICIES, "work-conserving"),
  pullStreams: integer(
    BATCHING_LIMITS.pullStreams.min,
    BATCHING_LIMITS.pullStreams.max,
    BATCHING_DEFAULTS.pullStreams,
    "streaming-pull streams",
  ),
  ackDeadlineSeconds: integer(
    ACK_DEADLINE_LIMITS.min,
    ACK_DEADLINE_LIMITS.max,
    SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds,
    "seconds",
  ),
  predictTimeoutMs: integer(
    WORKER_LIMITS.predictTimeoutMs.min,
    WORKER_LIMITS.predictTimeoutMs.max,
    BATCHING_DEFAULTS.predictTimeoutMs,
    "milliseconds",
  ),
  maxRequestBytes: integer(1_024, 100_000_000, BATCHING_DEFAULTS.maxRequestBytes, "bytes"),
  maxRetries: integer(0, 20, BATCHING_DEFAULTS.maxRetries, "retries"),
  featureCacheTtlMs: integer(
    WORKER_LIMITS.featureCacheTtlMs.min,
    WORKER_LIMITS.featureCacheTtlMs.max,
    WORKER_DEFAULTS.featureCacheTtlMs,
    "milliseconds; 0 turns the cache off",
  ),
  drainTimeoutMs: integer(0, 3_600_000, DEFAULT_DRAIN_TIMEOUT_MS, "milliseconds"),
  metricsExporter: oneOf(METRICS_EXPORTERS, "none"),
  healthPort: integer(0, 65_535, DEFAULT_HEALTH_PORT, "a TCP port; 0 picks a free one"),
  logLevel: oneOf(LOG_LEVELS, "info"),
  features: jsonValue(
    featureListSchema,
    "a JSON array of features ({name, type, source, required, default})",
  ),
  instanceShape: oneOf(INSTANCE_SHAPES, DEFAULT_MODEL_IO.instanceShape),
  predictParameters: jsonValue(parametersSchema, "a JSON object"),
  predictionOutput: jsonValue(
    outputSpecSchema,
    "a JSON object ({scoreField, scoreMin, scoreMax, labelField})",
  ),
  missingFeatures: oneOf(MISSING_FEATURE_POLICIES, DEFAULT_MISSING_FEATURE_POLICY),
} satisfies Record<WorkerEnvKey, z.ZodType>);

/** The keys `loadWorkerConfig` reshapes: defaults taken from other keys, the model's I/O gathered in one object. */
type ReshapedKey =
  | "region"
  | "bigtableTable"
  | "bigtableAppProfile"
  | "vertexApiEndpoint"
  | "features"
  | "instanceShape"
  | "predictParameters"
  | "predictionOutput"
  | "vertexPscTls"
  | "vertexPscCertificate"
  | "localOnlyPscAddress"
  | "missingFeatures";

/** The worker process's config: its parsed environment (`envSchema`), reshaped by `loadWorkerConfig`. */
export type WorkerRuntimeConfig = Omit<z.infer<typeof envSchema>, ReshapedKey> & {
  /** Region the worker runs in (defaults to the Vertex location). */
  region: string;
  bigtableTable: string;
  bigtableAppProfile: string;
  vertexApi: VertexApiEndpoint;
  /** What the model takes and answers (features, instance shape, parameters, output spec). */
  modelIo: ModelIoSpec;
  /** TLS and name resolution for a PSC endpoint's name; undefined when none is set. */
  pscRoute?: PscRoute;
};

function show(value: string | undefined): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}

/** Reads and validates the worker's environment. Throws `WorkerConfigError` listing every problem. */
export function loadWorkerConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): WorkerRuntimeConfig {
  const raw = Object.fromEntries(
    (Object.keys(WORKER_ENV) as WorkerEnvKey[]).map((key) => [key, env[WORKER_ENV[key]]]),
  ) as Record<WorkerEnvKey, string | undefined>;
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WorkerConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path[0] as WorkerEnvKey;
        return `${WORKER_ENV[key]} is ${show(raw[key])}; ${issue.message}`;
      }),
    );
  }
  // Checks across keys, once each key is valid on its own.
  const crossProblems = modelIoProblems(parsed.data).map(
    (p) => `${WORKER_ENV[p.key]} is ${show(raw[p.key])}; ${p.message}`,
  );
  if (crossProblems.length > 0) throw new WorkerConfigError(crossProblems);
  const {
    vertexApiEndpoint,
    features,
    instanceShape,
    predictParameters,
    predictionOutput,
    vertexPscTls,
    vertexPscCertificate,
    localOnlyPscAddress,
    missingFeatures,
    ...data
  } = parsed.data;
  if (data.vertexProtocol === "http" && data.vertexPredictUrl === undefined) {
    throw new WorkerConfigError([
      `${WORKER_ENV.vertexPredictUrl} is unset; it is required when ${WORKER_ENV.vertexProtocol} is http: ` +
        "set it to the deployed model's predictHttpUri (a peering endpoint takes predictions over HTTP only)",
    ]);
  }
  const vertexApi = vertexApiEndpoint ?? {
    host: `${data.vertexLocation}-aiplatform.googleapis.com`,
    port: 443,
    plaintext: false,
  };
  const pscRoute: PscRoute = {
    ...(vertexPscTls === undefined ? {} : { tls: vertexPscTls }),
    ...(vertexPscCertificate === undefined ? {} : { certificate: vertexPscCertificate }),
    ...(localOnlyPscAddress === undefined ? {} : { localOnlyAddress: localOnlyPscAddress }),
  };
  const routeSet = Object.keys(pscRoute).length > 0;
  if (routeSet) {
    // The host the settings apply to: the predict URL's (HTTP) or the API endpoint's (gRPC).
    const host =
      data.vertexProtocol === "http" && data.vertexPredictUrl !== undefined
        ? new URL(data.vertexPredictUrl).hostname
        : vertexApi.host;
    const problem = pscRouteProblem(host, pscRoute);
    if (problem !== undefined) {
      const key =
        vertexPscTls !== undefined
          ? "vertexPscTls"
          : localOnlyPscAddress !== undefined
            ? "localOnlyPscAddress"
            : "vertexPscCertificate";
      throw new WorkerConfigError([`${WORKER_ENV[key]} is ${show(raw[key])}; ${problem}`]);
    }
  }
  return {
    ...data,
    ...(routeSet ? { pscRoute } : {}),
    modelIo: {
      ...(features === undefined ? {} : { features }),
      instanceShape,
      ...(predictParameters === undefined ? {} : { parameters: predictParameters }),
      output: predictionOutput ?? DEFAULT_MODEL_IO.output,
      missingFeatures,
    },
    region: data.region ?? data.vertexLocation,
    bigtableTable: data.bigtableTable ?? FEATURE_TABLE.tableId,
    bigtableAppProfile: data.bigtableAppProfile ?? FEATURE_TABLE.appProfileId,
    vertexApi,
  };
}
