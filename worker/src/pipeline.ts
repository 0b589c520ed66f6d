/**
 * The worker's message flow, independent of where messages come from:
 * decode -> micro-batch -> score (enrich + predict, at most maxInFlight at once) ->
 * publish -> ack. Every message is acked only after its output is published, nacked
 * when it cannot finish, and never both.
 */
import {
  DEAD_LETTER_REASONS,
  OUTCOMES,
  pubsubMessageProblems,
  type DeadLetterReason,
  type InferenceEvent,
  type ModelIoSpec,
  type Outcome,
} from "../../contract";
import { Batcher, type BatchPolicy, type Clock } from "./batcher";
import type { Circuits } from "./circuits";
import { decodeEvent } from "./decode";
import type { FeatureSource } from "./enrich";
import type { Logger } from "./logger";
import { DEPENDENCIES, isOutage, type Dependency } from "./outage";
import type { CheckedPrediction } from "./predictionSpec";
import type { Predictor } from "./predictor";
import { deadLetterMessage, predictionMessage, type OutputPublisher } from "./publisher";
import type { BackoffPolicy } from "./retry";
import { lookUpFeatures, scoreBatch, type FeatureLookup, type ScoreDeps, type Verdict } from "./score";
import type { Telemetry } from "./telemetry";

/** What the pipeline needs of an input message (a Pub/Sub `Message` fits). */
export interface InputMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly publishTime: Date;
  /** Pub/Sub's delivery count (set when the subscription has a dead-letter policy). */
  readonly deliveryAttempt?: number;
  /** Resolves once the ack is sent (confirmed, with exactly-once delivery). */
  ackWithResponse(): Promise<unknown>;
  nack(): void;
}

export interface PipelineSettings {
  modelId: string;
  maxBatchSize: number;
  maxBatchDelayMs: number;
  maxInFlight: number;
  /** Default `work-conserving`. */
  batchPolicy?: BatchPolicy;
  maxRequestBytes: number;
  maxRetries: number;
  /** What the model takes and answers. Defaults to today's contract. */
  modelIo?: ModelIoSpec;
  backoff?: BackoffPolicy;
}

export interface PipelineDeps {
  features: FeatureSource;
  predictor: Predictor;
  publisher: OutputPublisher;
  telemetry: Telemetry;
  logger: Logger;
  clock?: Clock;
  /** Wall clock for timestamps, ms since the epoch. */
  now?: () => number;
  /**
   * Circuits of the dependencies: when given, a dependency's failure holds the message
   * (no nack, no attempt spent) until the circuit closes. Without them, it is nacked.
   */
  circuits?: Circuits;
}

/**
 * A message held through more outages than this is nacked: its dependency answered the
 * probes each time but kept failing this message's work, so the failure may be its own.
 */
export const MAX_OUTAGE_HOLDS = 5;

/** One input message on its way through, settled (acked or nacked) exactly once. */
interface Tracked {
  message: InputMessage;
  settled: boolean;
  /** Times held for an open circuit. */
  holds: number;
}

interface Pending {
  tracked: Tracked;
  event: InferenceEvent;
}

export interface DrainResult {
  /** Messages that could not finish in time and were nacked. */
  nacked: number;
}

export class Pipeline {
  private readonly batcher: Batcher<Pending>;
  private readonly unsettled = new Set<Tracked>();
  private readonly publishing = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  /** Feature lookups started when each batch was sealed, taken when it gets a predict slot. */
  private readonly lookups = new WeakMap<Pending[], Promise<FeatureLookup>>();
  private readonly scoreDeps: ScoreDeps;
  /** Messages that arrived after `stopIntake`: left untouched until `nackHeld`. */
  private readonly held: InputMessage[] = [];
  private intakeStopped = false;
  private readonly now: () => number;
  /** Messages held while a circuit is open, with how to take each up again. */
  private readonly onHold: Array<{ tracked: Tracked; resume: () => void }> = [];

  constructor(
    private readonly settings: PipelineSettings,
    private readonly deps: PipelineDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.scoreDeps = {
      features: deps.features,
      predictor: deps.predictor,
      telemetry: deps.telemetry,
      logger: deps.logger,
      maxRequestBytes: settings.maxRequestBytes,
      maxRetries: settings.maxRetries,
      modelIo: settings.modelIo,
      backoff: settings.backoff,
      signal: this.abort.signal,
    };
    this.batcher = new Batcher<Pending>({
      maxBatchSize: settings.maxBatchSize,
      maxBatchDelayMs: settings.maxBatchDelayMs,
      maxInFlight: settings.maxInFlight,
      policy: settings.batchPolicy,
      clock: deps.clock,
      onSealed: (batch) =>
        this.lookups.set(
          batch,
          lookUpFeatures(
            batch.map((p) => p.event),
            this.scoreDeps,
          ),
        ),
      handle: (batch) => this.handleBatch(batch),
      onHandlerError: (err) => deps.logger.error({ err: String(err) }, "batch handler failed (worker bug)"),
    });
    deps.circuits?.onAllClosed(() => this.resumeHeld());
  }

  /** Messages held until a dependency answers again. */
  get heldForOutage(): number {
    return this.onHold.length;
  }

  /** Messages received and not yet acked or nacked. */
  get outstanding(): number {
    return this.unsettled.size;
  }

  /** Batches whose predict stage is running. */
  get inFlight(): number {
    return this.batcher.inFlight;
  }

  /** Takes one input message; returns at once (the work continues asynchronously). */
  push(message: InputMessage): void {
    if (this.intakeStopped) {
      this.held.push(message);
      return;
    }
    const tracked: Tracked = { message, settled: false, holds: 0 };
    this.unsettled.add(tracked);
    // Per-message trail, off unless the level is debug (the chaos runs trace ids through kills).
    if (this.deps.logger.isLevelEnabled("debug"))
      this.deps.logger.debug(
        { messageId: message.id, deliveryAttempt: message.deliveryAttempt },
        "message received",
      );
    // A dependency is down: take nothing up; the client keeps extending the lease meanwhile.
    if (this.deps.circuits?.anyOpen) {
      this.onHold.push({ tracked, resume: () => this.take(tracked) });
      return;
    }
    this.take(tracked);
  }

  private take(tracked: Tracked): void {
    const decoded = decodeEvent(tracked.message.data, { maxEventBytes: this.settings.maxRequestBytes });
    if (!decoded.ok) {
      this.track(this.deadLetter(tracked, decoded.reason, decoded.message));
      return;
    }
    this.batcher.add({ tracked, event: decoded.event });
  }

  /**
   * Stops starting new work: messages pushed from now on are held, untouched, so a
   * shutdown does not begin what it may not finish (see `nackHeld`).
   */
  stopIntake(): void {
    this.intakeStopped = true;
  }

  /** Nacks the messages held since `stopIntake` (a no-op for any the subscriber already nacked). */
  nackHeld(): number {
    const held = this.held.splice(0);
    for (const message of held) {
      message.nack();
      this.deps.telemetry.outcome(OUTCOMES.nacked, "shutdown");
    }
    return held.length;
  }

  /**
   * Finishes what was received: flushes the open batch at once, waits for predictions,
   * publishes and acks. Whatever is still unsettled after `timeoutMs` is nacked.
   */
  async drain(timeoutMs: number): Promise<DrainResult> {
    // What waits on a dependency cannot finish before the process goes: back to Pub/Sub now.
    const held = this.onHold.splice(0);
    for (const { tracked } of held) this.settle(tracked, OUTCOMES.nacked, "dependency_unavailable");
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const finished = (async () => {
      await this.batcher.drain();
      while (this.publishing.size > 0) await Promise.allSettled([...this.publishing]);
      return "done" as const;
    })();
    const result = await Promise.race([finished, deadline]);
    clearTimeout(timer);
    if (result === "done" && this.unsettled.size === 0) return { nacked: held.length };
    // Stop retrying; what is left goes back to Pub/Sub for redelivery.
    this.abort.abort();
    const left = [...this.unsettled];
    for (const tracked of left) this.settle(tracked, OUTCOMES.nacked, "drain_timeout");
    if (left.length > 0)
      this.deps.logger.warn({ nacked: left.length }, "drain deadline reached; nacked the rest");
    return { nacked: held.length + left.length };
  }

  private track(work: Promise<void>): void {
    this.publishing.add(work);
    void work.finally(() => this.publishing.delete(work));
  }

  private async handleBatch(batch: Pending[]): Promise<void> {
    this.deps.telemetry.batch(batch.length);
    const events = batch.map((pending) => pending.event);
    const verdicts = await scoreBatch(events, this.scoreDeps, this.lookups.get(batch));
    this.lookups.delete(batch);
    // Publishing happens outside the predict slot, so the next batch can go to the model.
    batch.forEach((pending, i) => this.track(this.conclude(pending, verdicts[i] as Verdict)));
  }

  private async conclude({ tracked, event }: Pending, verdict: Verdict): Promise<void> {
    if (tracked.settled) return;
    switch (verdict.kind) {
      case "predicted":
        return this.publishPrediction(
          tracked,
          event,
          verdict.prediction,
          verdict.predictLatencyMs,
          verdict.degraded,
        );
      case "poison":
        return this.deadLetter(tracked, verdict.reason, verdict.message, event.entityId);
      case "retry":
        this.settle(tracked, OUTCOMES.nacked, verdict.cause);
        return;
      case "outage":
        this.hold(tracked, verdict, () => this.batcher.add({ tracked, event }));
        return;
    }
  }

  /**
   * Holds a message whose work failed for `dependency`'s sake and opens that circuit; it is
   * taken up again when every circuit is closed. Nacked instead without circuits, while
   * draining, or after `MAX_OUTAGE_HOLDS`.
   */
  private hold(
    tracked: Tracked,
    { dependency, error, nackCause }: { dependency: Dependency; error: unknown; nackCause: string },
    resume: () => void,
  ): void {
    const circuits = this.deps.circuits;
    tracked.holds += 1;
    if (circuits === undefined || this.intakeStopped || tracked.holds > MAX_OUTAGE_HOLDS) {
      this.settle(tracked, OUTCOMES.nacked, nackCause);
      return;
    }
    circuits.trip(dependency, error);
    this.onHold.push({ tracked, resume });
    // Closed again meanwhile (a probe answered before this batch failed): take it up now.
    if (!circuits.anyOpen) this.resumeHeld();
  }

  private resumeHeld(): void {
    const held = this.onHold.splice(0);
    if (held.length > 0) this.deps.logger.info({ messages: held.length }, "resuming held messages");
    for (const { tracked, resume } of held) if (!tracked.settled) resume();
  }

  private async publishPrediction(
    tracked: Tracked,
    event: InferenceEvent,
    checked: CheckedPrediction,
    predictLatencyMs: number,
    degraded?: string,
  ): Promise<void> {
    const { prediction, score, label } = checked;
    const { message } = tracked;
    const publishedAt = message.publishTime.getTime();
    const now = this.now();
    const outgoing = predictionMessage({
      record: {
        messageId: message.id,
        eventId: event.eventId,
        entityId: event.entityId,
        modelId: this.settings.modelId,
        prediction,
        ...(score === undefined ? {} : { score }),
        ...(label === undefined ? {} : { label }),
        eventPublishTime: message.publishTime.toISOString(),
        predictTime: new Date(now).toISOString(),
        predictLatencyMs,
        ...(degraded === undefined ? {} : { degraded }),
      },
      endToEndMs: now - publishedAt,
    });
    // The emulator stores what the service refuses: an output over a limit is this event's problem.
    const problems = pubsubMessageProblems(outgoing);
    if (problems.length > 0)
      return this.deadLetter(
        tracked,
        DEAD_LETTER_REASONS.outputTooLarge,
        `Pub/Sub would refuse the prediction message: ${problems.join("; ")}`,
        event.entityId,
      );
    try {
      await this.deps.publisher.publishPrediction(outgoing);
    } catch (err) {
      if (isOutage(err)) {
        const again = () =>
          this.track(this.publishPrediction(tracked, event, checked, predictLatencyMs, degraded));
        const outage = { dependency: DEPENDENCIES.predictionsTopic, error: err, nackCause: "publish_failed" };
        this.hold(tracked, outage, again);
        return;
      }
      this.deps.logger.error({ err: String(err), messageId: message.id }, "publishing a prediction failed");
      this.settle(tracked, OUTCOMES.nacked, "publish_failed");
      return;
    }
    // A flagged prediction is counted apart (outcome reason `degraded`), so it shows in the metric.
    if (this.settle(tracked, OUTCOMES.predicted, degraded ?? "ok"))
      this.deps.telemetry.endToEnd(this.now() - publishedAt);
  }

  private async deadLetter(
    tracked: Tracked,
    reason: DeadLetterReason,
    text: string,
    entityId?: string,
  ): Promise<void> {
    const { message } = tracked;
    this.deps.logger.warn({ messageId: message.id, reason, detail: text }, "dead-lettering a poison message");
    try {
      await this.deps.publisher.publishDeadLetter(
        deadLetterMessage({
          inputMessageId: message.id,
          data: message.data,
          attributes: message.attributes,
          reason,
          message: text,
          entityId,
        }),
      );
    } catch (err) {
      if (isOutage(err)) {
        const again = () => this.track(this.deadLetter(tracked, reason, text, entityId));
        const outage = { dependency: DEPENDENCIES.deadLetterTopic, error: err, nackCause: "publish_failed" };
        this.hold(tracked, outage, again);
        return;
      }
      this.deps.logger.error({ err: String(err), messageId: message.id }, "publishing a dead letter failed");
      this.settle(tracked, OUTCOMES.nacked, "publish_failed");
      return;
    }
    this.settle(tracked, OUTCOMES.deadLettered, reason);
  }

  /** Acks (predicted, dead-lettered) or nacks once; returns false if already settled. */
  private settle(tracked: Tracked, outcome: Outcome, reason: string): boolean {
    if (tracked.settled) return false;
    tracked.settled = true;
    this.unsettled.delete(tracked);
    this.deps.telemetry.outcome(outcome, reason);
    if (this.deps.logger.isLevelEnabled("debug"))
      this.deps.logger.debug({ messageId: tracked.message.id, outcome, reason }, "message settled");
    if (outcome === OUTCOMES.nacked) {
      tracked.message.nack();
      return true;
    }
    tracked.message.ackWithResponse().catch((err: unknown) => {
      // Only with exactly-once delivery: the ack was refused, so Pub/Sub will redeliver;
      // the output is already published and carries the input id for de-duplication.
      this.deps.logger.warn({ err: String(err), messageId: tracked.message.id }, "ack failed");
    });
    return true;
  }
}
