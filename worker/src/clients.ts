/**
 * The worker's connections to Google Cloud, built from its config: Pub/Sub (input and
 * outputs), Bigtable (features, optionally behind a TTL cache) and Vertex AI (the model).
 * Each can be replaced through `WorkerDeps`.
 */
import { Bigtable } from "@google-cloud/bigtable";
import { PubSub } from "@google-cloud/pubsub";
import type { WorkerRuntimeConfig } from "./config";
import { BigtableFeatureSource, type FeatureSource } from "./enrich";
import { CachedFeatureSource } from "./featureCache";
import type { DependencyChecks } from "./dependencyChecks";
import type { Logger } from "./logger";
import { VertexPredictor, type Predictor } from "./predictor";
import { PubSubOutputPublisher, type OutputPublisher } from "./publisher";
import type { Telemetry } from "./telemetry";

/** Deadline of one Bigtable multi-get (the client retries within it). */
export const FEATURE_LOOKUP_TIMEOUT_MS = 5_000;
/** Longest a prediction waits to be batched into a publish request. */
export const PUBLISH_MAX_DELAY_MS = 5;
/** Entries of the optional hot-entity cache. */
export const FEATURE_CACHE_MAX_ENTRIES = 10_000;

/** Replacements for the real clients (benchmarks, tests); anything not given is built from config. */
export interface WorkerDeps {
  logger?: Logger;
  pubsub?: PubSub;
  features?: FeatureSource;
  predictor?: Predictor;
  publisher?: OutputPublisher;
  /** Extra telemetry sink (in addition to stats and, if configured, Cloud Monitoring). */
  telemetry?: Telemetry;
  /** Replacements for the dependency checks (start-up and circuit probes), by dependency. */
  checks?: DependencyChecks;
}

export interface WorkerClients {
  pubsub: PubSub;
  features: FeatureSource;
  predictor: Predictor;
  publisher: OutputPublisher;
  /** Flushes the publishers and closes the clients this function created. */
  close(): Promise<void>;
}

export function createClients(config: WorkerRuntimeConfig, deps: WorkerDeps): WorkerClients {
  const pubsub = deps.pubsub ?? new PubSub({ projectId: config.projectId });

  let bigtable: Bigtable | undefined;
  let features = deps.features;
  if (features === undefined) {
    bigtable = new Bigtable({
      projectId: config.projectId,
      appProfileId: config.bigtableAppProfile,
      // Against the emulator, the client's own metrics exporter fails on missing
      // credentials after ~60 s and the error kills the process.
      metricsEnabled: process.env.BIGTABLE_EMULATOR_HOST === undefined,
    });
    const table = bigtable.instance(config.bigtableInstance).table(config.bigtableTable);
    features = new BigtableFeatureSource(table, { timeoutMs: FEATURE_LOOKUP_TIMEOUT_MS });
  }
  if (config.featureCacheTtlMs > 0) {
    features = new CachedFeatureSource(features, {
      ttlMs: config.featureCacheTtlMs,
      maxEntries: FEATURE_CACHE_MAX_ENTRIES,
    });
  }

  const predictor =
    deps.predictor ??
    new VertexPredictor({
      projectId: config.projectId,
      location: config.vertexLocation,
      endpointId: config.vertexEndpointId,
      api: config.vertexApi,
      timeoutMs: config.predictTimeoutMs,
      parameters: config.modelIo.parameters,
      protocol: config.vertexProtocol,
      predictUrl: config.vertexPredictUrl,
      maxConnections: config.maxInFlight,
      psc: config.pscRoute,
    });

  const publisher =
    deps.publisher ??
    new PubSubOutputPublisher(pubsub, {
      predictionsTopic: config.predictionsTopic,
      deadLetterTopic: config.deadLetterTopic,
      maxMessagesPerPublish: config.maxBatchSize,
      maxPublishDelayMs: PUBLISH_MAX_DELAY_MS,
    });

  return {
    pubsub,
    features,
    predictor,
    publisher,
    close: async () => {
      // Injected clients belong to the caller; only what was built here is closed.
      if (deps.publisher === undefined) await publisher.close();
      await Promise.allSettled([
        deps.predictor === undefined ? predictor.close?.() : undefined,
        bigtable?.close(),
        deps.pubsub === undefined ? pubsub.close() : undefined,
      ]);
    },
  };
}
