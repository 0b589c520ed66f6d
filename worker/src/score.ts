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
import type { FeatureRows, FeatureSource } from "./enrich";
import { resolveFeatures } from "./features";
import { buildInstance } from "./instances";
import type { Logger } from "./logger";
import { checkEachPrediction, ModelAnswerError, type CheckedPrediction } from "./predictionSpec";
import type { Predictor } from "./predictor";
import { DEPENDENCIES, isOutage, type Dependency } from "./outage";
import { instanceBytes, splitBySize } from "./requestSize";
import {
  backoffDelayMs,
  DEFAULT_BACKOFF,
  grpcCodeName,
  isInvalidArgument,
  sleep,
  withRetry,
  type BackoffPolicy,
} from "./retry";
import type { Telemetry } from "./telemetry";

export type Verdict =
  | {
      kind: "predicted";
      prediction: CheckedPrediction;
      predictLatencyMs: number;
      /** Predicted on less than the store should have supplied (policy `flag`): why. */
      degraded?: string;
    }
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

/** The model's raw answer to one call, and how long the call took. */
interface Answer {
  predictions: JsonValue[];
  latencyMs: number;
}

/** One predict call with retries of transient failures; every attempt is measured. */
function predictWithRetry(deps: ScoreDeps) {
  const now = deps.now ?? performance.now.bind(performance);
  return (instances: readonly JsonValue[]): Promise<Answer> =>
    withRetry(
      async () => {
        const started = now();
        try {
          const predictions = await deps.predictor.predict(instances);
          const latencyMs = now() - started;
          deps.telemetry.predictCall(latencyMs, "OK");
          return { predictions, latencyMs };
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

/** What became of one instance of a call, once narrowed. */
type InstanceResult =
  | { kind: "ok"; value: Scored }
  /** The model refused this instance on its own (INVALID_ARGUMENT alone): poison. */
  | { kind: "rejected"; error: unknown }
  /** The model's answer for this instance is wrong (out of spec, its own error, a wrong count alone). */
  | { kind: "bad"; message: string }
  /** The call failed for another reason (retries exhausted, an unusable body): try again later. */
  | { kind: "failed"; error: unknown };

/**
 * Calls the model on `instances` and narrows what went wrong to the instances it concerns:
 * a prediction out of spec (or an error of its own) is that instance's, read off the answer;
 * a refusal (INVALID_ARGUMENT) or a wrong prediction count cannot be attributed from the
 * answer, so the request is halved and each half sent again, recursively (about 2*log2(N)+1
 * calls for one bad instance). Failures of the call itself (transient ones after their
 * retries, a body that is not an answer at all) concern every instance alike. Calls run one
 * after another, so the caller's concurrency cap holds.
 */
async function predictNarrowing(
  instances: readonly JsonValue[],
  call: (instances: readonly JsonValue[]) => Promise<Answer>,
  output: ModelIoSpec["output"],
): Promise<InstanceResult[]> {
  if (instances.length === 0) return [];
  const bisect = async (): Promise<InstanceResult[]> => {
    const middle = Math.ceil(instances.length / 2);
    const left = await predictNarrowing(instances.slice(0, middle), call, output);
    const right = await predictNarrowing(instances.slice(middle), call, output);
    return [...left, ...right];
  };
  let answer: Answer;
  try {
    answer = await call(instances);
  } catch (error) {
    if (!isInvalidArgument(error)) return instances.map(() => ({ kind: "failed", error }));
    return instances.length === 1 ? [{ kind: "rejected", error }] : bisect();
  }
  if (answer.predictions.length !== instances.length) {
    if (instances.length > 1) return bisect();
    return [
      {
        kind: "bad",
        message: `the model returned ${answer.predictions.length} predictions for 1 instance`,
      },
    ];
  }
  return checkEachPrediction(answer.predictions, output).map((checked) =>
    checked.ok
      ? { kind: "ok", value: { prediction: checked.prediction, predictLatencyMs: answer.latencyMs } }
      : { kind: "bad", message: checked.message },
  );
}

/**
 * `predictNarrowing`, then the instances whose answer was wrong are sent again (only they,
 * after a backoff) up to `maxRetries` times: an answer that stays wrong is the instance's own
 * problem and it is dead-lettered (`bad_model_answer`, with the model's message); its
 * batch-mates are predicted meanwhile.
 */
async function predictIsolating(instances: readonly JsonValue[], deps: ScoreDeps): Promise<InstanceResult[]> {
  const output = (deps.modelIo ?? DEFAULT_MODEL_IO).output;
  const call = predictWithRetry(deps);
  const results = await predictNarrowing(instances, call, output);
  for (let retry = 0; retry < deps.maxRetries && !deps.signal?.aborted; retry++) {
    const bad = results.flatMap((result, i) => (result.kind === "bad" ? [i] : []));
    if (bad.length === 0) break;
    deps.logger.warn(
      {
        instances: instances.length,
        bad: bad.length,
        positions: bad.slice(0, 10),
        first: (results[bad[0] as number] as { message: string }).message,
        retry: retry + 1,
      },
      "the model's answer was wrong for some instances; sending only those again",
    );
    await sleep(backoffDelayMs(retry, deps.backoff ?? DEFAULT_BACKOFF), deps.signal);
    const again = await predictNarrowing(
      bad.map((i) => instances[i] as JsonValue),
      call,
      output,
    );
    bad.forEach((position, k) => {
      results[position] = again[k] as InstanceResult;
    });
  }
  return results;
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
  const candidates: Array<{ index: number; instance: JsonValue; bytes: number; degraded?: string }> = [];
  events.forEach((event, index) => {
    const resolved = resolveFeatures(event, lookup.rows.get(event.entityId), io.features, io.missingFeatures);
    if (!resolved.ok) {
      verdicts[index] = { kind: "poison", reason: resolved.reason, message: resolved.message };
      return;
    }
    const instance = buildInstance(event.entityId, resolved.features, io.instanceShape, io.features);
    candidates.push({ index, instance, bytes: instanceBytes(instance), degraded: resolved.degraded });
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

  for (const chunk of chunks) {
    const results = await predictIsolating(
      chunk.map((c) => c.instance),
      deps,
    );
    const failed: unknown[] = [];
    results.forEach((result, i) => {
      const { index, degraded } = chunk[i] as (typeof chunk)[number];
      if (result.kind === "ok") {
        verdicts[index] = {
          kind: "predicted",
          ...result.value,
          ...(degraded === undefined ? {} : { degraded }),
        };
      } else if (result.kind === "rejected") {
        verdicts[index] = {
          kind: "poison",
          reason: DEAD_LETTER_REASONS.modelRejected,
          message: `the model rejected the instance: ${messageOf(result.error)}`,
        };
      } else if (result.kind === "bad") {
        verdicts[index] = {
          kind: "poison",
          reason: DEAD_LETTER_REASONS.badModelAnswer,
          message: `the model's answer stayed wrong through ${deps.maxRetries} retries: ${result.message}`,
        };
      } else {
        verdicts[index] = retryVerdict(result.error, DEPENDENCIES.model);
        // An outage is held and logged by the circuit; a message-level failure is nacked: say so.
        if (verdicts[index]?.kind === "retry") failed.push(result.error);
      }
    });
    if (failed.length > 0)
      deps.logger.warn(
        { events: failed.length, code: grpcCodeName(failed[0]), err: messageOf(failed[0]) },
        "predict failed for the request; nacking its events for redelivery",
      );
  }
  return verdicts.map(
    (verdict) => verdict ?? { kind: "retry", cause: "internal", message: "no verdict (worker bug)" },
  );
}
