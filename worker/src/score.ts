/**
 * The model stage of one micro-batch: one feature multi-get, features resolved and
 * instances built as the model's spec says (`features.ts`, `instances.ts`), cut to
 * the request size limit, predicted (retrying transient failures, bisecting
 * rejections), and a verdict for every event. Never throws: every event gets a verdict.
 */
import {
  DEAD_LETTER_REASONS,
  DEFAULT_MODEL_IO,
  type DeadLetterReason,
  type InferenceEvent,
  type JsonValue,
  type ModelIoSpec,
} from "../../contract";
import { callIsolatingRejects } from "./bisect";
import type { FeatureRows, FeatureSource } from "./enrich";
import { resolveFeatures } from "./features";
import { buildInstance } from "./instances";
import type { Logger } from "./logger";
import { ModelAnswerError, validatePredictions, type CheckedPrediction } from "./predictionSpec";
import type { Predictor } from "./predictor";
import { DEPENDENCIES, isOutage, type Dependency } from "./outage";
import { instanceBytes, splitBySize } from "./requestSize";
import { grpcCodeName, isInvalidArgument, withRetry, type BackoffPolicy } from "./retry";
import type { Telemetry } from "./telemetry";

export type Verdict =
  | { kind: "predicted"; prediction: CheckedPrediction; predictLatencyMs: number }
  /** Can never succeed: dead-letter it. */
  | { kind: "poison"; reason: DeadLetterReason; message: string }
  /** Could not finish now (transient failure, bad model answer): nack for redelivery. */
  | { kind: "retry"; cause: string; message: string }
  /** A dependency failed, not the event: hold it until the dependency answers (`outage.ts`). */
  | { kind: "outage"; dependency: Dependency; error: unknown; nackCause: string };

export interface ScoreDeps {
  features: FeatureSource;
  predictor: Predictor;
  telemetry: Telemetry;
  logger: Logger;
  maxRequestBytes: number;
  maxRetries: number;
  /** What the model takes and answers. Defaults to today's contract (`DEFAULT_MODEL_IO`). */
  modelIo?: ModelIoSpec;
  backoff?: BackoffPolicy;
  /** Aborted at the drain deadline: stop retrying. */
  signal?: AbortSignal;
  now?: () => number;
}

interface Scored {
  prediction: CheckedPrediction;
  predictLatencyMs: number;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function retryVerdict(err: unknown, dependency?: Dependency): Verdict {
  const cause = err instanceof ModelAnswerError ? "bad_model_answer" : grpcCodeName(err).toLowerCase();
  if (dependency !== undefined && isOutage(err))
    return { kind: "outage", dependency, error: err, nackCause: cause };
  return { kind: "retry", cause, message: messageOf(err) };
}

/** Stored features of a batch's entities, or why they could not be read. Never rejects. */
export type FeatureLookup = { ok: true; rows: FeatureRows } | { ok: false; error: unknown };

/**
 * One multi-get for the batch's distinct entities, retrying transient failures. Started
 * as soon as a batch is complete, so it overlaps the model calls of earlier batches.
 */
export async function lookUpFeatures(
  events: readonly InferenceEvent[],
  deps: Pick<ScoreDeps, "features" | "telemetry" | "logger" | "maxRetries" | "backoff" | "signal" | "now">,
): Promise<FeatureLookup> {
  const now = deps.now ?? performance.now.bind(performance);
  const ids = [...new Set(events.map((event) => event.entityId))];
  try {
    const rows = await withRetry(
      async () => {
        const started = now();
        try {
          return await deps.features.lookup(ids);
        } finally {
          deps.telemetry.featureLookup(now() - started);
        }
      },
      {
        maxRetries: deps.maxRetries,
        backoff: deps.backoff,
        signal: deps.signal,
        onRetry: (err, retry, delayMs) =>
          deps.logger.warn({ err: messageOf(err), retry, delayMs }, "feature lookup failed; retrying"),
      },
    );
    return { ok: true, rows };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One predict call with retries of transient failures; every attempt is measured. */
function predictWithRetry(deps: ScoreDeps) {
  const now = deps.now ?? performance.now.bind(performance);
  const output = (deps.modelIo ?? DEFAULT_MODEL_IO).output;
  return (instances: readonly JsonValue[]): Promise<Scored[]> =>
    withRetry(
      async () => {
        const started = now();
        try {
          const answer = await deps.predictor.predict(instances);
          const predictions = validatePredictions(answer, instances.length, output);
          const predictLatencyMs = now() - started;
          deps.telemetry.predictCall(predictLatencyMs, "OK");
          return predictions.map((prediction) => ({ prediction, predictLatencyMs }));
        } catch (err) {
          deps.telemetry.predictCall(now() - started, grpcCodeName(err));
          throw err;
        }
      },
      {
        maxRetries: deps.maxRetries,
        backoff: deps.backoff,
        signal: deps.signal,
        onRetry: (err, retry, delayMs) =>
          deps.logger.warn(
            { err: messageOf(err), code: grpcCodeName(err), retry, delayMs, instances: instances.length },
            "predict failed; retrying",
          ),
      },
    );
}

/** Verdicts for `events`, in order; `features` is the batch's lookup if it was started earlier. */
export async function scoreBatch(
  events: readonly InferenceEvent[],
  deps: ScoreDeps,
  features: Promise<FeatureLookup> = lookUpFeatures(events, deps),
): Promise<Verdict[]> {
  const lookup = await features;
  if (!lookup.ok) {
    const err = lookup.error;
    deps.logger.error(
      { err: messageOf(err), events: events.length },
      "feature lookup failed; nacking the batch",
    );
    return events.map(() => retryVerdict(err, DEPENDENCIES.featureStore));
  }

  const io = deps.modelIo ?? DEFAULT_MODEL_IO;
  const verdicts: Array<Verdict | undefined> = new Array(events.length);
  const candidates: Array<{ index: number; instance: JsonValue; bytes: number }> = [];
  events.forEach((event, index) => {
    const resolved = resolveFeatures(event, lookup.rows.get(event.entityId), io.features);
    if (!resolved.ok) {
      verdicts[index] = { kind: "poison", reason: resolved.reason, message: resolved.message };
      return;
    }
    const instance = buildInstance(event.entityId, resolved.features, io.instanceShape, io.features);
    candidates.push({ index, instance, bytes: instanceBytes(instance) });
  });

  // Every request also carries the parameters: they take their share of the size limit.
  const parametersBytes = io.parameters === undefined ? 0 : instanceBytes({ parameters: io.parameters });
  const { chunks, oversized } = splitBySize(
    candidates,
    deps.maxRequestBytes - parametersBytes,
    (c) => c.bytes,
  );
  for (const c of oversized) {
    verdicts[c.index] = {
      kind: "poison",
      reason: DEAD_LETTER_REASONS.instanceTooLarge,
      message: `instance is ${c.bytes} bytes; one request may carry at most ${deps.maxRequestBytes}`,
    };
  }

  const predict = predictWithRetry(deps);
  for (const chunk of chunks) {
    const results = await callIsolatingRejects(
      chunk.map((c) => c.instance),
      predict,
      isInvalidArgument,
    );
    results.forEach((result, i) => {
      const index = (chunk[i] as (typeof chunk)[number]).index;
      if (result.kind === "ok") {
        verdicts[index] = { kind: "predicted", ...result.value };
      } else if (result.kind === "rejected") {
        verdicts[index] = {
          kind: "poison",
          reason: DEAD_LETTER_REASONS.modelRejected,
          message: `the model rejected the instance: ${messageOf(result.error)}`,
        };
      } else {
        verdicts[index] = retryVerdict(result.error, DEPENDENCIES.model);
      }
    });
  }
  return verdicts.map(
    (verdict) => verdict ?? { kind: "retry", cause: "internal", message: "no verdict (worker bug)" },
  );
}
