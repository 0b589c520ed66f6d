/**
 * A cheap call to each dependency, to tell whether it answers: at start-up (the worker is
 * ready only when all answer, `worker.ts`) and as the probe of an open circuit
 * (`circuits.ts`). Each resolves when the dependency answers and rejects with why not.
 *
 * IAM: `getMetadata` on a topic or subscription is `projects.topics.get` /
 * `projects.subscriptions.get`, which need `pubsub.topics.get` / `pubsub.subscriptions.get`
 * (Pub/Sub "Access control with IAM", https://cloud.google.com/pubsub/docs/access-control);
 * roles/pubsub.publisher and roles/pubsub.subscriber do not hold them, so the stack grants
 * roles/pubsub.viewer on exactly these resources (components/workerDeployment/workerAccess.ts).
 * testIamPermissions needs no permission, but the Pub/Sub emulator answers it UNIMPLEMENTED
 * (measured 2026-12-04), so the local platform could not hold the worker to the same check.
 */
import type { PubSub } from "@google-cloud/pubsub";
import type { FeatureSource } from "./enrich";
import { DEPENDENCIES, isOutage, type Dependency } from "./outage";
import type { Predictor } from "./predictor";
import { TimeoutError } from "./retry";

export type DependencyCheck = () => Promise<void>;
export type DependencyChecks = Partial<Record<Dependency, DependencyCheck>>;

/** Row key read by the feature-store check: any key works, a missing row is an answer. */
export const PROBE_ROW_KEY = "__streaming_inference_probe__";

/** Rejects with a DEADLINE_EXCEEDED error if `work` takes longer than `ms`. */
export async function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The model answers if a Predict with no instances gets any answer that is not an outage:
 * predictions, or a refusal of the empty request (INVALID_ARGUMENT) from the model's server.
 * It costs the model nothing to compute.
 */
export async function modelAnswers(predictor: Predictor): Promise<void> {
  try {
    await predictor.predict([]);
  } catch (err) {
    if (isOutage(err)) throw err;
  }
}

export interface CheckTargets {
  pubsub: PubSub;
  subscription: string;
  predictionsTopic: string;
  deadLetterTopic: string;
  features: FeatureSource;
  predictor: Predictor;
  /** Deadline of each call, ms. */
  timeoutMs: number;
}

export function dependencyChecks(t: CheckTargets): Record<Dependency, DependencyCheck> {
  const gax = { timeout: t.timeoutMs };
  const deadline =
    <T>(what: string, work: () => Promise<T>) =>
    async () => {
      await withDeadline(what, t.timeoutMs, work());
    };
  return {
    [DEPENDENCIES.subscription]: deadline("subscription check", () =>
      t.pubsub.subscription(t.subscription).getMetadata(gax),
    ),
    [DEPENDENCIES.predictionsTopic]: deadline("predictions topic check", () =>
      t.pubsub.topic(t.predictionsTopic).getMetadata(gax),
    ),
    [DEPENDENCIES.deadLetterTopic]: deadline("dead-letter topic check", () =>
      t.pubsub.topic(t.deadLetterTopic).getMetadata(gax),
    ),
    // A one-row read: NOT_FOUND for a wrong table or instance, an empty answer otherwise.
    [DEPENDENCIES.featureStore]: deadline("feature table check", () => t.features.lookup([PROBE_ROW_KEY])),
    [DEPENDENCIES.model]: deadline("model check", () => modelAnswers(t.predictor)),
  };
}

export interface CheckFailure {
  dependency: Dependency;
  reason: string;
}

/** Runs every check at once; the failures, by dependency (empty when all answer). */
export async function runChecks(checks: DependencyChecks): Promise<CheckFailure[]> {
  const entries = Object.entries(checks) as Array<[Dependency, DependencyCheck]>;
  const results = await Promise.allSettled(entries.map(([, check]) => check()));
  return results.flatMap((result, i) =>
    result.status === "fulfilled"
      ? []
      : [
          {
            dependency: entries[i]![0],
            reason: result.reason instanceof Error ? result.reason.message : String(result.reason),
          },
        ],
  );
}
