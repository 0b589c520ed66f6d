/**
 * Starting and stopping a worker: the real clients (Pub/Sub streaming pull, Bigtable,
 * Vertex AI), the pipeline between them, health endpoints and metrics. Any client can
 * be replaced through `WorkerDeps` (benchmarks, tests).
 */
import {
  Duration,
  SubscriptionCloseBehaviors,
  type Message,
  type Subscription,
  type SubscriberOptions,
} from "@google-cloud/pubsub";
import { WORKER_LIFECYCLE, type WorkerFinalStats } from "../../contract/lifecycle";
import type { WorkerRuntimeConfig } from "./config";
import { Circuits } from "./circuits";
import { createClients, type WorkerDeps } from "./clients";
import { dependencyChecks, runChecks, type CheckFailure } from "./dependencyChecks";
import { startHealthServer, type HealthServer } from "./health";
import { createLogger } from "./logger";
import type { CloudMetrics } from "./metrics";
import { Pipeline } from "./pipeline";
import { applyPullBackpressure, type PullBackpressure } from "./pullBackpressure";
import { sleep } from "./retry";
import { StatsRecorder, type WorkerStats } from "./stats";
import { fanOut } from "./telemetry";

export type { WorkerDeps } from "./clients";

/** Acks are sent in batches at least this often (the library default of 100 ms caps throughput). */
export const ACK_MAX_DELAY_MS = 10;
/** Flow control never holds less than this many bytes (one Pub/Sub message may be 10 MB). */
export const MIN_FLOW_CONTROL_BYTES = 10 * 1024 * 1024;
/** Part of the drain budget kept for the final nacks and client shutdown. */
const DRAIN_RESERVE_MS = 1_500;
/**
 * Deadline of each dependency check, and the wait between rounds of checks at start-up.
 * The start-up probe (components/workerDeployment/inferenceWorker.ts) polls /readyz every
 * 5 s and gives up after 24 failures (120 s): a round of checks fits one period.
 */
export const DEPENDENCY_CHECK_TIMEOUT_MS = 4_000;
export const STARTUP_RECHECK_MS = 5_000;

export interface WorkerSnapshot extends WorkerStats {
  /** Messages received and not yet acked or nacked. */
  outstanding: number;
  /** Messages the Pub/Sub client holds under lease (handed over or queued in it); bounded by flow control. */
  leased: number;
  /** Batches in the predict stage right now. */
  inFlight: number;
  /** Resident set size of the process, bytes. */
  rssBytes: number;
  /** Highest resident set size seen (sampled every second), bytes. */
  peakRssBytes: number;
  /** Most messages held under lease at once (sampled every second). */
  peakLeased: number;
}

export interface DrainReport {
  /** Messages nacked because the drain deadline came first. */
  nacked: number;
}

export interface RunningWorker {
  /** Port of /healthz and /readyz. */
  readonly healthPort: number;
  stats(): WorkerSnapshot;
  /**
   * Stops pulling, finishes what was received (flush, predict, publish, ack) and closes
   * the clients; whatever is unfinished after `timeoutMs` is nacked. Idempotent.
   */
  drain(timeoutMs: number): Promise<DrainReport>;
  /** Resolves once the worker has stopped (after `drain`, or after a fatal error). */
  readonly stopped: Promise<void>;
  /** Set when the worker stopped because of an error it cannot recover from. */
  readonly fatalError: Error | undefined;
}

/**
 * Flow control from the batching settings: enough for every slot plus the next batches filling.
 * The client library keeps one inventory for all its streams, so `maxMessages` bounds what the
 * worker holds whatever the stream count; each stream also asks the server for at most that many
 * (StreamingPullRequest.max_outstanding_messages), and `pullBackpressure.ts` pauses every gRPC
 * stream once the inventory is full (the library alone does not; the emulator ignores the
 * server-side limit), so what arrives beyond it is bounded by what is in flight on the streams.
 */
export function subscriberOptions(config: WorkerRuntimeConfig): SubscriberOptions {
  const maxMessages = config.maxBatchSize * config.maxInFlight * 2;
  return {
    flowControl: {
      maxMessages,
      // Bytes held are bounded too: a few requests' worth, never the library's 100 MB default.
      maxBytes: Math.max(MIN_FLOW_CONTROL_BYTES, config.maxRequestBytes * 2),
      allowExcessMessages: false,
    },
    batching: { maxMilliseconds: ACK_MAX_DELAY_MS },
    // One stream is a ceiling of its own (~2,000 msg/s on the emulator, ~10 MB/s on Pub/Sub).
    streamingOptions: { maxStreams: config.pullStreams },
    // Lease for the subscription's own deadline from the start (the client starts at 10 s):
    // under a backlog the client holds more than it hands over, and short leases made the
    // emulator redeliver held messages (duplicates) and multiplied modAck traffic.
    minAckDeadline: Duration.from({ seconds: config.ackDeadlineSeconds }),
    closeOptions: {
      behavior: SubscriptionCloseBehaviors.NackImmediately,
      timeout: Duration.from({ milliseconds: Math.max(config.drainTimeoutMs, 1_000) }),
    },
  };
}

export async function startWorker(
  config: WorkerRuntimeConfig,
  deps: WorkerDeps = {},
): Promise<RunningWorker> {
  const logger =
    deps.logger ??
    createLogger({
      level: config.logLevel,
      base: { region: config.region, subscription: config.subscription },
    });
  const { pubsub, features, predictor, publisher, close: closeClients } = createClients(config, deps);
  const checks = {
    ...dependencyChecks({
      pubsub,
      subscription: config.subscription,
      predictionsTopic: config.predictionsTopic,
      deadLetterTopic: config.deadLetterTopic,
      features,
      predictor,
      timeoutMs: DEPENDENCY_CHECK_TIMEOUT_MS,
    }),
    ...deps.checks,
  };
  const stats = new StatsRecorder();
  let cloudMetrics: CloudMetrics | undefined;
  if (config.metricsExporter === "cloud-monitoring") {
    // Loaded only when used: the exporter and the OpenTelemetry SDK are not needed locally.
    const { startCloudMetrics } = await import("./metrics.js");
    cloudMetrics = startCloudMetrics({
      projectId: config.projectId,
      region: config.region,
      modelId: config.modelId,
    });
  }
  const telemetry = fanOut(
    stats,
    ...(cloudMetrics ? [cloudMetrics.telemetry] : []),
    ...(deps.telemetry ? [deps.telemetry] : []),
  );

  const circuits = new Circuits({
    probes: checks,
    logger,
    onOpenSeconds: (dependency, seconds) => telemetry.dependencyOutage?.(dependency, seconds),
  });
  const pipeline = new Pipeline(config, { features, predictor, publisher, telemetry, logger, circuits });
  const snapshot = (): WorkerSnapshot => ({
    ...stats.snapshot(),
    outstanding: pipeline.outstanding,
    leased: backpressure?.leased() ?? pipeline.outstanding,
    inFlight: pipeline.inFlight,
    rssBytes: process.memoryUsage.rss(),
    peakRssBytes: Math.max(peakRss, process.memoryUsage.rss()),
    peakLeased,
  });
  let peakRss = 0;
  let peakLeased = 0;
  // Set once the subscription is open (below); the sampler may run before that.
  let backpressure: PullBackpressure | undefined = undefined;
  const rssSampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakLeased = Math.max(peakLeased, backpressure?.leased() ?? pipeline.outstanding);
    // Where the memory is (JS heap, Buffers outside it), for tuning; off unless the level is debug.
    if (logger.isLevelEnabled("debug")) logger.debug({ memory: process.memoryUsage() }, "memory");
  }, 1_000);
  rssSampler.unref();

  let ready = false;
  let fatalError: Error | undefined;
  /** Dependencies that did not answer the last round of start-up checks. */
  let notAnswering: CheckFailure[] = [];
  const health: HealthServer = await startHealthServer(config.healthPort, {
    live: () => fatalError === undefined,
    ready: () => ready,
    detail: () => ({
      outstanding: pipeline.outstanding,
      inFlight: pipeline.inFlight,
      heldForOutage: pipeline.heldForOutage,
      ...(notAnswering.length > 0 ? { notAnswering } : {}),
      openCircuits: circuits.openCircuits(),
    }),
  });
  logger.info({ healthPort: health.port }, `health endpoints on port ${health.port} (/healthz, /readyz)`);

  const options = subscriberOptions(config);
  const subscription: Subscription = pubsub.subscription(config.subscription, options);
  const stopChecking = new AbortController();

  let draining: Promise<DrainReport> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));

  const drain = (timeoutMs: number): Promise<DrainReport> => {
    draining ??= (async () => {
      ready = false;
      stopChecking.abort();
      circuits.stop();
      const started = Date.now();
      // Finish what was taken; hold (do not start) what still arrives until the stream is closed.
      pipeline.stopIntake();
      logger.info({ outstanding: pipeline.outstanding, timeoutMs }, "draining: finishing received messages");
      const finished = await pipeline.drain(Math.max(timeoutMs - DRAIN_RESERVE_MS, 0));
      logger.info({ elapsedMs: Date.now() - started, nacked: finished.nacked }, "draining: pipeline idle");
      // Closing with NackImmediately: everything still in the client's inventory (held by us, or
      // delivered but never handed over) goes back to Pub/Sub now, and queued acks are flushed.
      // (WaitForProcessing would wait out its whole timeout for messages the client never hands over.)
      subscription.setOptions({
        ...subscriberOptions(config),
        closeOptions: {
          behavior: SubscriptionCloseBehaviors.NackImmediately,
          timeout: Duration.from({ milliseconds: Math.max(timeoutMs - (Date.now() - started), 1_000) }),
        },
      });
      await subscription.close().catch((err: unknown) => {
        logger.warn({ err: String(err) }, "closing the subscription failed");
      });
      const held = pipeline.nackHeld();
      logger.info({ elapsedMs: Date.now() - started, held }, "draining: subscription closed");
      const report: DrainReport = { nacked: finished.nacked + held };
      await Promise.allSettled([closeClients(), cloudMetrics?.shutdown(), health.close()]);
      clearInterval(rssSampler);
      const stats: WorkerSnapshot & WorkerFinalStats = snapshot();
      logger.info({ ...report, elapsedMs: Date.now() - started, stats }, WORKER_LIFECYCLE.drained);
      logger.flush();
      markStopped();
      return report;
    })();
    return draining;
  };

  subscription.on("error", (err: Error) => {
    // Raised for errors the client does not retry (subscription missing, permission denied):
    // nothing more will arrive, so finish what is held and stop.
    fatalError ??= err;
    logger.error(
      { err: err.message, code: (err as { code?: unknown }).code },
      "subscription failed; stopping",
    );
    void drain(config.drainTimeoutMs);
  });

  /**
   * Ready means able: pull only once the subscription, both topics, the feature table and
   * the model answer. Until then /readyz says 503 and names what does not answer, and no
   * message is pulled (no stream is opened), so none spends an attempt on a worker that
   * cannot finish it. Checked again every STARTUP_RECHECK_MS until all answer.
   */
  const startPulling = async (): Promise<void> => {
    for (;;) {
      notAnswering = await runChecks(checks);
      if (stopChecking.signal.aborted) return;
      if (notAnswering.length === 0) break;
      for (const failure of notAnswering)
        logger.error(
          { dependency: failure.dependency, reason: failure.reason },
          `not ready: ${failure.dependency} does not answer (${failure.reason}); pulling nothing`,
        );
      await sleep(STARTUP_RECHECK_MS, stopChecking.signal);
      if (stopChecking.signal.aborted) return;
    }
    subscription.on("message", (message: Message) => pipeline.push(message));
    backpressure = applyPullBackpressure(
      subscription,
      { maxMessages: options.flowControl?.maxMessages ?? 0, maxBytes: options.flowControl?.maxBytes ?? 0 },
      logger,
    );
    ready = true;
    logStarted();
  };
  void startPulling().catch((err: unknown) => {
    fatalError ??= err instanceof Error ? err : new Error(String(err));
    logger.error({ err: String(err) }, "start-up failed; stopping");
    void drain(config.drainTimeoutMs);
  });

  function logStarted(): void {
    logger.info(
      {
        maxBatchSize: config.maxBatchSize,
        maxBatchDelayMs: config.maxBatchDelayMs,
        maxInFlight: config.maxInFlight,
        batchPolicy: config.batchPolicy,
        pullStreams: config.pullStreams,
        ackDeadlineSeconds: config.ackDeadlineSeconds,
        vertex: `${config.vertexApi.host}:${config.vertexApi.port}`,
      },
      WORKER_LIFECYCLE.started,
    );
  }

  return {
    healthPort: health.port,
    stats: snapshot,
    drain,
    stopped,
    get fatalError() {
      return fatalError;
    },
  };
}
