/**
 * The books of a chaos scenario: every published message must end up predicted or
 * dead-lettered (by message id); what is neither is lost. Pure functions over the
 * collector's counts and progress samples, so they can be tested on their own.
 */

/** Counts at one moment of a scenario. */
export interface ChaosSample {
  /** ms since the scenario started. */
  atMs: number;
  published: number;
  /** Predicted or dead-lettered. */
  done: number;
}

export interface ChaosCounts {
  published: number;
  predicted: number;
  deadLettered: number;
  outstanding: number;
  duplicates: number;
}

export interface ScenarioResult {
  name: string;
  description: string;
  published: number;
  predicted: number;
  deadLettered: number;
  /**
   * Published but neither predicted nor dead-lettered when the scenario gave up, less
   * `heldByEmulator`. Must be 0.
   */
  lost: number;
  /**
   * Outstanding messages the emulator kept dealing to SIGKILLed workers' dead streams: no worker
   * that lived through the wait ever received them, and none settled them (`judgeOutstanding`).
   * Only scenarios that ask for this judgement have it above 0.
   */
  heldByEmulator: number;
  /** Extra outputs for an input (at-least-once delivery allows them; they carry the input id). */
  duplicates: number;
  /** Valid events dead-lettered, or poison events predicted: each is a wrong answer, not a loss. */
  misrouted: number;
  /** The scenario's fault was a dependency's: any dead letter fails it (`ChaosScenario.noDeadLetters`). */
  noDeadLetters?: boolean;
  /**
   * Inputs dead-lettered only by the subscription's dead-letter policy (after its delivery
   * attempts ran out), never by the worker with an `error.reason`: each had no reason of its own.
   */
  deadLetteredWithoutReason: number;
  /** Outputs real Pub/Sub would have refused (the emulator stored them; contract/pubsubLimits.ts). */
  outputsOverPubSubLimits: number;
  /**
   * The scenario requires every dead letter to carry a worker reason and every valid event to be
   * predicted (misrouted 0, deadLetteredWithoutReason 0), not only nothing lost.
   */
  strict: boolean;
  /** When the fault ended, ms since the scenario started. */
  faultEndedAtMs: number;
  /**
   * From the end of the fault until every message published before it ended was
   * accounted for, ms (null if that never happened).
   */
  recoveryMs: number | null;
  /** The whole scenario, first publish to the last outcome, s. */
  durationSeconds: number;
  /** Worker restarts, dead-letter reasons, predict calls... whatever the scenario adds. */
  details: Record<string, unknown>;
}

/** Time from `faultEndedAtMs` until `done` reached what had been published by then. */
export function recoveryMs(samples: readonly ChaosSample[], faultEndedAtMs: number): number | null {
  const before = samples.filter((sample) => sample.atMs <= faultEndedAtMs);
  const publishedAtEnd = (before.at(-1) ?? samples[0])?.published ?? 0;
  const caughtUp = samples.find((sample) => sample.atMs >= faultEndedAtMs && sample.done >= publishedAtEnd);
  return caughtUp === undefined ? null : Math.round(caughtUp.atMs - faultEndedAtMs);
}

export function scenarioResult(
  name: string,
  description: string,
  counts: ChaosCounts,
  samples: readonly ChaosSample[],
  faultEndedAtMs: number,
  extra: {
    misrouted: number;
    heldByEmulator?: number;
    noDeadLetters?: boolean;
    deadLetteredWithoutReason?: number;
    outputsOverPubSubLimits?: number;
    strict?: boolean;
    details?: Record<string, unknown>;
  },
): ScenarioResult {
  const last = samples.at(-1);
  const heldByEmulator = extra.heldByEmulator ?? 0;
  return {
    name,
    description,
    published: counts.published,
    predicted: counts.predicted,
    deadLettered: counts.deadLettered,
    lost: counts.outstanding - heldByEmulator,
    heldByEmulator,
    duplicates: counts.duplicates,
    misrouted: extra.misrouted,
    ...(extra.noDeadLetters === true ? { noDeadLetters: true } : {}),
    deadLetteredWithoutReason: extra.deadLetteredWithoutReason ?? 0,
    outputsOverPubSubLimits: extra.outputsOverPubSubLimits ?? 0,
    strict: extra.strict ?? false,
    faultEndedAtMs: Math.round(faultEndedAtMs),
    recoveryMs: recoveryMs(samples, faultEndedAtMs),
    durationSeconds: last === undefined ? 0 : Math.round(last.atMs / 100) / 10,
    details: extra.details ?? {},
  };
}

/** Valid events that were dead-lettered (not predicted) plus poison events that were predicted. */
export function countMisrouted(
  outcomes: ReadonlyArray<{ kind: string; predicted: boolean; deadLettered: boolean }>,
): number {
  return outcomes.filter((o) => (o.kind === "valid" ? !o.predicted && o.deadLettered : o.predicted)).length;
}

/** Inputs no worker dead-lettered, that the subscription's dead-letter policy alone moved. */
export function countDeadLetteredWithoutReason(
  outcomes: ReadonlyArray<{ predicted: boolean; deadLetters: ReadonlyArray<{ byPolicy: boolean }> }>,
): number {
  return outcomes.filter(
    (o) => !o.predicted && o.deadLetters.length > 0 && o.deadLetters.every((d) => d.byPolicy),
  ).length;
}

/**
 * The suite fails if any scenario lost a message or published an output real Pub/Sub would
 * refuse; if a dependency-outage scenario dead-lettered anything; or if a strict scenario dead-lettered a valid event, or let the subscription's policy
 * dead-letter anything without a worker reason.
 */
export function chaosExitCode(results: readonly ScenarioResult[]): number {
  return results.some(
    (result) =>
      result.lost > 0 ||
      result.outputsOverPubSubLimits > 0 ||
      (result.noDeadLetters === true && result.deadLettered > 0) ||
      (result.strict && (result.misrouted > 0 || result.deadLetteredWithoutReason > 0)),
  )
    ? 1
    : 0;
}

/** One line a worker logged of an input message (`message received`, `message settled`). */
export interface TrailEntry {
  /** 1-based, in start order. */
  worker: number;
  event: "received" | "settled";
  deliveryAttempt?: number;
  /** For `settled`: predicted, dead_lettered, nacked. */
  outcome?: string;
}

/**
 * Splits the messages still outstanding after a SIGKILL scenario's wait into the workers' losses
 * and what the emulator held back. The emulator keeps dealing messages to a SIGKILLed worker's
 * dead streams (tools/chaos/emulatorDeadStreams.ts), so a message can miss the live worker for
 * minutes. Held by the emulator: no worker settled it (acked it: predicted or dead-lettered; a
 * nack is no loss) and the live workers (`live`, never killed, there all through the wait) never
 * received it. Lost: anything else - acked without an output arriving, or received by a live
 * worker that never finished it.
 */
export function judgeOutstanding(
  outstanding: readonly string[],
  trail: Readonly<Record<string, readonly TrailEntry[]>>,
  live: ReadonlySet<number>,
): { lost: string[]; heldByEmulator: string[] } {
  const lost: string[] = [];
  const heldByEmulator: string[] = [];
  for (const id of outstanding) {
    const entries = trail[id] ?? [];
    const acked = entries.some((e) => e.event === "settled" && e.outcome !== "nacked");
    const reachedLive = entries.some((e) => e.event === "received" && live.has(e.worker));
    (acked || reachedLive ? lost : heldByEmulator).push(id);
  }
  return { lost, heldByEmulator };
}
